import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getDashboardData, type DashboardDataOutput } from '../../helpers/dashboards';
import { getResourceId } from '../../helpers/ids';
import { readInterval, readOutput, readReportSettings } from '../../helpers/reportParameters';
import { dashboardLocator } from '../common.descriptions';
import { intervalField, reportOptions, simplifiedOutputField, simplifyField, timeRangeFields, type OutputChoice } from '../report.descriptions';

const show = { resource: ['dashboard'], operation: ['getData'] };

const DASHBOARD_DATA_OUTPUTS: OutputChoice[] = [
	{
		name: 'One Item per Report',
		value: 'reports',
		description: 'One item per chart, funnel and retention, with its rows in a list: charts with different columns stay apart',
	},
	{ name: 'One Item per Row', value: 'rows', description: 'One item per data row of every report, each tagged with chartId, chartName and chartType' },
];

export const description: INodeProperties[] = [
	dashboardLocator('dashboard', 'getData'),
	...timeRangeFields(show),
	{ ...intervalField(show), description: 'Size of each time bucket for the event-analysis charts (数据粒度)' },
	simplifyField(show),
	simplifiedOutputField(show, DASHBOARD_DATA_OUTPUTS),
	reportOptions(show, ['v2', 'v3'], [
		{
			displayName: 'Funnel Conversion Window (Days)',
			name: 'conversionWindow',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 180 },
			default: 7,
			description: 'Conversion window for the funnels on the dashboard. Without it each funnel uses its saved window.',
		},
		{
			displayName: 'Retention Period',
			name: 'retentionRange',
			type: 'options',
			default: 'day',
			options: [
				{ name: 'Day', value: 'day' },
				{ name: 'Month', value: 'month' },
				{ name: 'Week', value: 'week' },
			],
			description: 'Period for the retentions on the dashboard. Without it each retention uses its saved period.',
		},
	]),
];

/**
 * Every chart, funnel and retention on a dashboard for one time range — the daily KPI digest.
 * Each row (or each report) is tagged with the chart it came from; widgets the API does not
 * serve become a note item each.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dashboardId = await getResourceId.call(this, 'dashboardId', 'Dashboard', 'dashboard', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const output = readOutput(this, itemIndex, settings.simplify, DASHBOARD_DATA_OUTPUTS) as DashboardDataOutput;
	const rows = await getDashboardData.call(
		this,
		dashboardId,
		{
			range: settings.range,
			interval: readInterval.call(this, itemIndex, settings.range),
			apiVersion: settings.apiVersion,
			maxWaitSeconds: settings.maxWaitSeconds,
			simplify: settings.simplify,
			output,
			conversionWindow: settings.options.conversionWindow as number | undefined,
			retentionRange: settings.options.retentionRange as string | undefined,
		},
		itemIndex,
	);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(rows), { itemData: { item: itemIndex } });
}
