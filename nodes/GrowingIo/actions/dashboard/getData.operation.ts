import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { mapInOrder } from '../../helpers/concurrency';
import { getResourceId } from '../../helpers/ids';
import { fetchReport, reportToItems, type ReportKind } from '../../helpers/report';
import { readInterval, readReportSettings } from '../../helpers/reportParameters';
import { getDashboardCharts } from '../../helpers/dashboards';
import { dashboardLocator } from '../common.descriptions';
import { intervalField, reportOptions, simplifyField, timeRangeFields } from '../report.descriptions';

const show = { resource: ['dashboard'], operation: ['getData'] };

export const description: INodeProperties[] = [
	dashboardLocator('dashboard', 'getData'),
	...timeRangeFields(show),
	{ ...intervalField(show), description: 'Size of each time bucket for the event-analysis charts (数据粒度)' },
	simplifyField(show),
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

/** Charts fetched at once per item; the shared limiter still decides when each request starts. */
const CHARTS_IN_FLIGHT = 4;

/**
 * Every chart, funnel and retention on a dashboard for one time range — the daily KPI digest.
 * Each row (or, with Simplify off, each report) is tagged with the chart it came from.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dashboardId = await getResourceId.call(this, 'dashboardId', 'Dashboard', 'dashboard', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const interval = readInterval.call(this, itemIndex, settings.range);
	const { startTime, endTime } = settings.range;
	const { conversionWindow, retentionRange } = settings.options;
	const query: Record<ReportKind, IDataObject> = {
		chart: { startTime, endTime, interval },
		funnel: { startTime, endTime, ...(conversionWindow !== undefined ? { conversionWindow } : {}) },
		retention: { startTime, endTime, ...(retentionRange !== undefined ? { range: retentionRange } : {}) },
	};

	const { charts } = await getDashboardCharts.call(this, dashboardId, itemIndex);
	const perChart = await mapInOrder(charts.length, CHARTS_IN_FLIGHT, async (index) => {
		const chart = charts[index];
		const kind = chart.type as ReportKind;
		if (!(kind in query)) {
			throw new NodeOperationError(this.getNode(), `Chart "${String(chart.name)}" (${String(chart.id)}) on the dashboard has an unknown type "${String(chart.type)}"`, {
				itemIndex,
				description: 'This node reads charts, funnels and retentions. Read this chart with its own resource, or report the new type.',
			});
		}
		const report = await fetchReport.call(this, {
			kind,
			id: String(chart.id),
			qs: query[kind],
			apiVersion: settings.apiVersion,
			maxWaitSeconds: settings.maxWaitSeconds,
			itemIndex,
		});
		const tag = { chartId: chart.id, chartName: chart.name, chartType: kind };
		return settings.simplify
			? reportToItems(report, true, settings.timezone).map((row) => ({ ...tag, ...row }))
			: [{ ...tag, report }];
	});
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(perChart.flat()), { itemData: { item: itemIndex } });
}
