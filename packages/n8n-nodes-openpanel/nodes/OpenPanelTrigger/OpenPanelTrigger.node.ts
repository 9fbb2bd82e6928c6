import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { pollEvents, type TriggerEvent } from '../../core/trigger/pollEvents';
import { openPanelApiTest } from '../OpenPanel/methods/credentialTest';
import { projectIdProperty } from '../OpenPanel/helpers/parameters';
import { searchProjects } from '../OpenPanel/methods/listSearch';
import { getEventNames } from '../OpenPanel/methods/loadOptions';
import { openPanelOptions } from '../OpenPanel/transport';
import { metricThreshold } from './events/metricThreshold.event';
import { newEvent } from './events/newEvent.event';

const EVENTS: Record<string, TriggerEvent> = { newEvent, metricThreshold };

export class OpenPanelTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPanel Trigger',
		name: 'openPanelTrigger',
		icon: { light: 'file:openpanel.svg', dark: 'file:openpanel.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ { newEvent: "On New Event", metricThreshold: "Metric Threshold" }[$parameter["event"]] }}',
		description: 'Starts the workflow when new events arrive in OpenPanel, or when a chart series crosses a threshold',
		defaults: { name: 'OpenPanel Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openPanelApi', required: true, testedBy: 'openPanelApiTest' }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'newEvent',
				options: [
					{ name: 'Metric Threshold', value: 'metricThreshold', description: "When a chart series' value goes above or below a threshold" },
					{ name: 'On New Event', value: 'newEvent', description: 'Each new event once, oldest first' },
				],
			},
			// Workflows from before the picker hold a plain string here; n8n passes it through unchanged.
			projectIdProperty(undefined, 'watch'),
			...newEvent.description,
			...metricThreshold.description,
			openPanelOptions,
		],
	};

	methods = { credentialTest: { openPanelApiTest }, listSearch: { searchProjects }, loadOptions: { getEventNames } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEvents.call(this, EVENTS);
	}
}
