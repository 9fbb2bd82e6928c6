import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { growingIoApiTest } from '../GrowingIo/methods/credentialTest';
import { searchCharts, searchDashboards } from '../GrowingIo/methods/listSearch';
import { dashboardDigest } from './events/dashboardDigest.event';
import { pollEvents, type TriggerEvent } from '../../core/trigger/pollEvents';
import { metricThreshold } from './events/metricThreshold.event';
import { rawExportReady } from './events/rawExportReady.event';
import { getChartMetrics } from './methods/loadOptions';

const EVENTS: Record<string, TriggerEvent> = { rawExportReady, metricThreshold, dashboardDigest };


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
		return await pollEvents.call(this, EVENTS);
	}
}
