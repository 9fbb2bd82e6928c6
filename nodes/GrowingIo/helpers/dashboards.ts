import { NodeOperationError, type IDataObject, type IExecuteFunctions, type ILoadOptionsFunctions } from 'n8n-workflow';

import { growingIoRequest, type GrowingIoContext, type RunContext } from '../transport';
import { mapInOrder } from './concurrency';
import { fetchReport, reportToItems, type ApiVersion, type ReportKind } from './report';
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

/** One chart as a flat item; `type` tells which resource (Chart, Funnel, Retention) reads it. */
export function chartItem(chart: DashboardChart, dashboard: IDataObject): IDataObject {
	return {
		id: chart.id,
		name: chart.name,
		type: chart.resource_type ?? null,
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

export interface DashboardDataSettings {
	range: TimeRange;
	/** Bucket size of the event-analysis charts, ms. */
	interval: number;
	apiVersion: ApiVersion;
	maxWaitSeconds: number;
	simplify: boolean;
	/** Overrides of the funnels' and retentions' saved settings. */
	conversionWindow?: number;
	retentionRange?: string;
}

/** Charts fetched at once per dashboard; the shared limiter still decides when each request starts. */
const CHARTS_IN_FLIGHT = 4;

/**
 * Every chart, funnel and retention on a dashboard for one time range (Dashboard → Get Data and
 * the trigger's daily digest). Each row (or, with Simplify off, each report) is tagged with the
 * chart it came from.
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
			itemIndex: itemIndex ?? 0,
		});
		const tag = { chartId: chart.id, chartName: chart.name, chartType: kind };
		return settings.simplify
			? reportToItems(report, true, settings.range.timezone).map((row) => ({ ...tag, ...row }))
			: [{ ...tag, report }];
	});
	return perChart.flat();
}
