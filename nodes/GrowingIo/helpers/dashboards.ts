import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { growingIoRequest, type GrowingIoContext, type RunContext } from '../transport';
import { mapInOrder } from '../../../core/helpers/concurrency';
import { fetchReport, reportToItems, type ReportKind } from './report';
import type { ApiVersion } from './reportParameters';
import { expectList, expectObject } from './responses';
import type { TimeRange } from './timeRange';

/** A dashboard entry as GrowingIO sends it (note its `createor` spelling). */
interface DashboardChart {
	id: string;
	name: string;
	createor?: string;
	creator?: string;
	createdAt?: string;
	resource_type?: string;
}

/** What GrowingIO's dashboard sample implies when it lists a chart without `resource_type`. */
const DEFAULT_RESOURCE_TYPE: ReportKind = 'chart';

/**
 * One chart as a flat item; `type` tells which resource (Chart, Funnel, Retention) reads it.
 * The same keys whether the charts come one per item or nested in their dashboard.
 */
export function chartItem(chart: DashboardChart, dashboard: IDataObject): IDataObject {
	return {
		id: chart.id,
		name: chart.name,
		type: typeof chart.resource_type === 'string' && chart.resource_type ? chart.resource_type : DEFAULT_RESOURCE_TYPE,
		creator: chart.creator ?? chart.createor ?? null,
		createdAt: chart.createdAt ?? null,
		dashboardId: dashboard.id,
		dashboardName: dashboard.name,
	};
}

/** dashboards/:id.json, checked, with its charts as flat items. */
export async function getDashboardCharts(
	this: GrowingIoContext,
	dashboardId: string,
	itemIndex?: number,
): Promise<{ dashboard: IDataObject; charts: IDataObject[] }> {
	const subject = `dashboard "${dashboardId}"`;
	const body = await growingIoRequest.call(this, {
		path: `/projects/{projectUid}/dashboards/${encodeURIComponent(dashboardId)}.json`,
		subject,
		itemIndex,
	});
	const dashboard = expectObject(this.getNode(), body, subject, ['id', 'charts'], itemIndex);
	const charts = expectList(this.getNode(), dashboard.charts, `the charts of ${subject}`, itemIndex);
	return { dashboard, charts: (charts as unknown as DashboardChart[]).map((chart) => chartItem(chart, dashboard)) };
}

/** dashboards.json, checked. */
export async function getDashboards(this: IExecuteFunctions | ILoadOptionsFunctions, itemIndex?: number): Promise<IDataObject[]> {
	const body = await growingIoRequest.call(this, { path: '/projects/{projectUid}/dashboards.json', subject: 'the dashboard list', itemIndex });
	return expectList(this.getNode(), body, 'the dashboard list', itemIndex);
}

/** Simplify on: one item per data row (default), or one item per report with its rows in `rows`. */
export type DashboardDataOutput = 'rows' | 'reports';

export interface DashboardDataSettings {
	range: TimeRange;
	/** Bucket size of the event-analysis charts, ms. */
	interval: number;
	apiVersion: ApiVersion;
	maxWaitSeconds: number;
	simplify: boolean;
	output?: DashboardDataOutput;
	/** Overrides of the funnels' and retentions' saved settings. */
	conversionWindow?: number;
	retentionRange?: string;
}

/** Charts fetched at once per dashboard; the shared limiter still decides when each request starts. */
const CHARTS_IN_FLIGHT = 4;

const isReportKind = (type: unknown): type is ReportKind => type === 'chart' || type === 'funnel' || type === 'retention';

/**
 * Every chart, funnel and retention on a dashboard for one time range (Dashboard → Get Data and
 * the trigger's daily digest). Each row (or each report) is tagged with the chart it came from.
 * Widgets the statistics APIs do not serve (realtime, distribution, …) become one note item each
 * (`skipped: true` and a `note`), so one such widget never stops the rest of the dashboard.
 */
export async function getDashboardData(
	this: RunContext,
	dashboardId: string,
	settings: DashboardDataSettings,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const { startTime, endTime } = settings.range;
	const { conversionWindow, retentionRange } = settings;
	const query: Record<ReportKind, IDataObject> = {
		chart: { startTime, endTime, interval: settings.interval },
		funnel: { startTime, endTime, ...(conversionWindow !== undefined ? { conversionWindow } : {}) },
		retention: { startTime, endTime, ...(retentionRange !== undefined ? { range: retentionRange } : {}) },
	};

	const perReport = settings.simplify && settings.output === 'reports';
	const { charts } = await getDashboardCharts.call(this, dashboardId, itemIndex);
	const perChart = await mapInOrder(charts.length, CHARTS_IN_FLIGHT, async (index): Promise<IDataObject[]> => {
		const chart = charts[index];
		const kind = chart.type;
		if (!isReportKind(kind)) {
			const note = `Skipped: GrowingIO's statistics API serves charts, funnels and retentions, not "${String(kind)}" widgets`;
			return [{ chartId: chart.id, chartName: chart.name, chartType: kind, skipped: true, note, ...(perReport ? { rows: [] } : {}) }];
		}
		const report = await fetchReport.call(this, {
			kind,
			id: String(chart.id),
			qs: query[kind],
			apiVersion: settings.apiVersion,
			maxWaitSeconds: settings.maxWaitSeconds,
			itemIndex: itemIndex ?? 0,
		});
		const tag = { chartId: chart.id, chartName: chart.name, chartType: kind };
		if (!settings.simplify) return [{ ...tag, report }];
		const rows = reportToItems(report, true, settings.range.timezone);
		return perReport ? [{ ...tag, rowCount: rows.length, rows }] : rows.map((row) => ({ ...tag, ...row }));
	});
	return perChart.flat();
}
