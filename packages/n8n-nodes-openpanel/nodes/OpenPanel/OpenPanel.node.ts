import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { routeItems } from '../../core/actions/router';
import * as eventGetMany from './actions/event/getMany.operation';

/** OpenPanel allows 100 requests per 10 s; a few items in flight are plenty. */
const MAX_ITEMS_IN_FLIGHT = 4;

export class OpenPanel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPanel',
		name: 'openPanel',
		icon: { light: 'file:openpanel.svg', dark: 'file:openpanel.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read events from OpenPanel analytics',
		defaults: { name: 'OpenPanel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openPanelApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Event', value: 'event' }],
				default: 'event',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['event'] } },
				options: [{ name: 'Get Many', value: 'getMany', action: 'Get many events', description: 'Get one page of events of a day range' }],
				default: 'getMany',
			},
			...eventGetMany.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems.call(this, { event: { getMany: eventGetMany } }, MAX_ITEMS_IN_FLIGHT);
	}
}
