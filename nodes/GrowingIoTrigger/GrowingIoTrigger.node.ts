import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { growingIoApiTest } from '../GrowingIo/methods/credentialTest';
import { searchCharts, searchDashboards } from '../GrowingIo/methods/listSearch';
import { dashboardDigest } from './events/dashboardDigest.event';
import type { TriggerEvent } from './events/event';
import { metricThreshold } from './events/metricThreshold.event';
import { rawExportReady } from './events/rawExportReady.event';
import { getChartMetrics } from './methods/loadOptions';

const EVENTS: Record<string, TriggerEvent> = { rawExportReady, metricThreshold, dashboardDigest };

/**
 * Polls running now, by workflow and node. n8n starts a poll on schedule even while the last one
 * still runs (a long catch-up, downloads); two at once would read the same cursor and deliver
 * the same exports twice, so the later one leaves the work to the running one.
 */
const pollsInProgress = new Set<string>();

export class GrowingIoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GrowingIO Trigger',
		name: 'growingIoTrigger',
		icon: { light: 'file:growingio.svg', dark: 'file:growingio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ { rawExportReady: "Raw Export Ready", metricThreshold: "Metric Threshold", dashboardDigest: "Dashboard Digest Ready" }[$parameter["event"]] }}',
		description: 'Starts the workflow when a GrowingIO raw export is ready, a metric crosses a threshold or yesterday\'s dashboard numbers are complete',
		defaults: { name: 'GrowingIO Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'growingIoApi', required: true, testedBy: 'growingIoApiTest' }],
		properties: [
			{
				displayName:
					'Each poll asks GrowingIO for data from the same 2 requests per second as every GrowingIO node of this project. Every hour suits daily exports and daily KPIs; poll more often only for hourly exports.',
				name: 'pollBudgetNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'rawExportReady',
				options: [
					{
						name: 'Dashboard Digest Ready',
						value: 'dashboardDigest',
						description: 'Once a day, when yesterday\'s numbers are complete: the rows of every chart on a dashboard',
					},
					{
						name: 'Metric Threshold',
						value: 'metricThreshold',
						description: 'When a chart\'s metric goes above or below a threshold, crosses it, or changes by more than a percentage',
					},
					{
						name: 'Raw Export Ready',
						value: 'rawExportReady',
						description: 'When a daily or hourly raw data export (原始数据导出) is finished, once per export',
					},
				],
			},
			...rawExportReady.description,
			...metricThreshold.description,
			...dashboardDigest.description,
		],
	};

	methods = { credentialTest: { growingIoApiTest }, listSearch: { searchCharts, searchDashboards }, loadOptions: { getChartMetrics } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		const handler = EVENTS[event];
		if (!handler) {
			throw new NodeOperationError(this.getNode(), `Event "${event}" is not one of ${Object.keys(EVENTS).join(', ')}`, {
				description: 'Choose an Event from the list.',
			});
		}
		// Each event keeps its cursor in the workflow's static data, which n8n saves with every
		// emitted poll. Fetch Test Event works on a copy, so testing never moves a cursor.
		const staticData = this.getWorkflowStaticData('node');
		const manual = this.getMode() === 'manual';
		if (manual) {
			// (n8n hands static data out as a proxy, which structuredClone refuses: copy it as JSON.)
			const copy = JSON.parse(JSON.stringify(staticData[event] ?? {})) as IDataObject;
			const sample = await handler.poll.call(this, copy, true);
			return sample.length ? [sample] : null;
		}
		const running = `${this.getWorkflow().id ?? ''}|${this.getNode().name}`;
		if (pollsInProgress.has(running)) return null;
		pollsInProgress.add(running);
		let items: INodeExecutionData[];
		try {
			const state = (staticData[event] as IDataObject | undefined) ?? {};
			items = await handler.poll.call(this, state, false);
			// Assigned again at the top: n8n notices changes to static data only there and in objects
			// it loaded, not inside objects created since, and saves it only when it noticed one.
			// (A poll that skipped before any state existed leaves none.)
			if (staticData[event] !== undefined || Object.keys(state).length) staticData[event] = state;
		} finally {
			pollsInProgress.delete(running);
		}
		return items.length ? [items] : null;
	}
}
