/**
 * The synchronous statistics APIs: dashboards, event charts (v2 and legacy v1),
 * funnels, retentions, segments and rules. Each handler validates like GrowingIO and returns
 * an ApiResult; the v3 exporter reuses the report handlers for its finished payloads.
 */
import {
	CHART_INTERVALS,
	DASHBOARDS,
	MAX_DOWNLOAD_ROWS,
	SEGMENTS,
	buildChartReport,
	buildFunnelReport,
	buildRetentionReport,
	chartRowCount,
	defaultWindow,
	findChart,
	findFunnel,
	findItem,
	findRetention,
	findSegment,
	funnelRowCount,
	retentionRowCount,
	rulesCsv,
	segmentUsersCsv,
	type ChartApiVersion,
	type DashboardDefinition,
	type RetentionRange,
	type TimeWindow,
} from './data';
import { DAY_MS } from './time';
import { badRequest, notFound, type ApiResult } from './types';

/** Funnel conversion windows GrowingIO's UI offers go up to 180 days. */
export const MAX_CONVERSION_WINDOW_DAYS = 180;

const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

function ok(json: unknown): ApiResult {
	return { status: 200, json };
}

function tooManyRows(rows: number): ApiResult {
	return badRequest(
		`This download would return ${rows} rows, more than the ${MAX_DOWNLOAD_ROWS} rows GrowingIO allows per download; shorten the time range, use a longer interval or the v3 exporter`,
	);
}

/** startTime/endTime: both or neither, integer milliseconds, start ≤ end; neither = the saved range. */
export function parseWindow(query: URLSearchParams, now: number): TimeWindow | ApiResult {
	const hasStart = query.has('startTime');
	const hasEnd = query.has('endTime');
	if (hasStart !== hasEnd) return badRequest('startTime and endTime must be sent together');
	if (!hasStart) return defaultWindow(now);
	const startText = query.get('startTime') ?? '';
	const endText = query.get('endTime') ?? '';
	for (const [name, text] of [['startTime', startText], ['endTime', endText]]) {
		if (!/^\d{1,15}$/.test(text)) return badRequest(`${name} must be a Unix timestamp in milliseconds, got "${text}"`);
	}
	const window = { startTime: Number(startText), endTime: Number(endText) };
	if (window.startTime > window.endTime) return badRequest('startTime must not be later than endTime');
	return window;
}

function isResult(value: unknown): value is ApiResult {
	return typeof value === 'object' && value !== null && 'status' in value;
}

export function listDashboards(dashboards: DashboardDefinition[] = DASHBOARDS): ApiResult {
	return ok(
		dashboards.map((d) => ({
			id: d.id,
			name: d.name,
			type: d.type,
			createdAt: d.createdAt,
			updatedAt: d.updatedAt,
			scope: d.scope,
			updater: d.updater,
			creator: d.creator,
		})),
	);
}

export function getDashboard(id: string, dashboards: DashboardDefinition[] = DASHBOARDS): ApiResult {
	const dashboard = dashboards.find((d) => d.id === id);
	if (!dashboard) return notFound(`dashboard ${id} not found`);
	const charts = dashboard.items.map((itemId) => {
		const entry = findItem(itemId);
		if (!entry || entry.kind === 'dashboard' || entry.kind === 'segment') throw new Error(`dashboard ${id} lists unknown report ${itemId}`);
		const type = entry.kind === 'widget' ? entry.item.resourceType : entry.kind;
		// `createor` is GrowingIO's own spelling; resource_type is missing from its dashboard sample.
		const listed = { id: itemId, name: entry.item.name, createor: entry.item.creator, createdAt: entry.item.createdAt };
		return entry.kind !== 'widget' && entry.item.untypedOnDashboards ? listed : { ...listed, resource_type: type };
	});
	return ok({ id: dashboard.id, name: dashboard.name, charts });
}

export function getChart(id: string, query: URLSearchParams, now: number, version: ChartApiVersion): ApiResult {
	const chart = findChart(id);
	if (!chart) return notFound(`chart ${id} not found`);
	const window = parseWindow(query, now);
	if (isResult(window)) return window;
	const intervalText = query.get('interval');
	const interval = intervalText === null ? DAY_MS : Number(intervalText);
	if (intervalText !== null && (!/^\d+$/.test(intervalText) || !(CHART_INTERVALS as readonly number[]).includes(interval))) {
		return badRequest(`interval must be 3600000 (hour), 86400000 (day), 604800000 (week) or 2592000000 (month), got "${intervalText}"`);
	}
	const chartWindow = { ...window, interval };
	const rows = chartRowCount(chart, chartWindow, version);
	if (rows > MAX_DOWNLOAD_ROWS) return tooManyRows(rows);
	return ok(buildChartReport(chart, chartWindow, version));
}

export function getFunnel(id: string, query: URLSearchParams, now: number): ApiResult {
	const funnel = findFunnel(id);
	if (!funnel) return notFound(`funnel ${id} not found`);
	const window = parseWindow(query, now);
	if (isResult(window)) return window;
	const windowText = query.get('conversionWindow');
	const conversionWindow = windowText === null ? funnel.conversionWindow : Number(windowText);
	if (windowText !== null && (!/^\d+$/.test(windowText) || conversionWindow < 1 || conversionWindow > MAX_CONVERSION_WINDOW_DAYS)) {
		return badRequest(`conversionWindow must be a whole number of days from 1 to ${MAX_CONVERSION_WINDOW_DAYS}, got "${windowText}"`);
	}
	const rows = funnelRowCount(funnel, window);
	if (rows > MAX_DOWNLOAD_ROWS) return tooManyRows(rows);
	return ok(buildFunnelReport(funnel, window, conversionWindow));
}

export function getRetention(id: string, query: URLSearchParams, now: number): ApiResult {
	const retention = findRetention(id);
	if (!retention) return notFound(`retention ${id} not found`);
	const window = parseWindow(query, now);
	if (isResult(window)) return window;
	const rangeText = query.get('range');
	if (rangeText !== null && !['day', 'week', 'month'].includes(rangeText)) {
		return badRequest(`range must be day, week or month, got "${rangeText}"`);
	}
	const range = (rangeText ?? retention.range) as RetentionRange;
	const rows = retentionRowCount(retention, window, range);
	if (rows > MAX_DOWNLOAD_ROWS) return tooManyRows(rows);
	return ok(buildRetentionReport(retention, window, range));
}

export function listSegments(): ApiResult {
	return ok(SEGMENTS.map((s) => ({ id: s.id, name: s.name, userType: s.userType, userNum: s.userNum, updatedAt: s.updatedAt })));
}

export function getSegmentUsers(id: string): ApiResult {
	const segment = findSegment(id);
	if (!segment) return notFound(`segmentation ${id} not found`);
	if (segment.userNum > MAX_DOWNLOAD_ROWS) return tooManyRows(segment.userNum);
	return { status: 200, text: segmentUsersCsv(segment), contentType: CSV_CONTENT_TYPE };
}

export function getRules(): ApiResult {
	return { status: 200, text: rulesCsv(), contentType: CSV_CONTENT_TYPE };
}
