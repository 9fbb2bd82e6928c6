/**
 * Report payloads computed from (id, startTime, endTime, interval, …) alone, so every run and
 * every test sees the same numbers. Shapes follow GrowingIO's documented statistics responses.
 */
import { unitHash } from '../seededRandom';
import { DAY_MS, HOUR_MS, MONTH_MS, WEEK_MS, startOfBeijingDay, startOfHour } from '../time';
import type {
	ChartDefinition,
	FunnelDefinition,
	MetricDefinition,
	RetentionDefinition,
	RetentionRange,
} from './catalog';

export const CHART_INTERVALS = [HOUR_MS, DAY_MS, WEEK_MS, MONTH_MS] as const;

export interface TimeWindow {
	startTime: number;
	endTime: number;
}

export interface ChartWindow extends TimeWindow {
	interval: number;
}

export interface MetaColumn {
	name: string;
	dimension?: true;
	metric?: true;
}

export type Cell = string | number;

export interface ChartReport {
	id: string;
	name: string;
	startTime: number;
	endTime: number;
	interval: number;
	aggregator?: { values: [Cell, Cell] };
	meta: MetaColumn[];
	data: Cell[][];
}

export interface FunnelReport {
	id: string;
	name: string;
	conversionWindow: number;
	startTime: number;
	endTime: number;
	interval: number;
	meta: MetaColumn[];
	data: Cell[][];
}

export interface RetentionReport {
	id: string;
	name: string;
	range: RetentionRange;
	startTime: number;
	endTime: number;
	interval: number;
	meta: MetaColumn[];
	data: Cell[][];
}

/** `/v2/...` rows start with the 目标用户 label; legacy `/projects/.../charts/...` rows do not. */
export type ChartApiVersion = 'v1' | 'v2';

const TARGET_USER_COLUMN: MetaColumn = { name: '目标用户', dimension: true };
const TIME_COLUMN: MetaColumn = { name: '时间', dimension: true };

/** A saved report's default range: the 7 Beijing days ending yesterday. */
export function defaultWindow(now: number): TimeWindow {
	const today = startOfBeijingDay(now);
	return { startTime: today - 7 * DAY_MS, endTime: today - 1 };
}

/** Start of the first bucket: the hour for hourly data, otherwise Beijing midnight of startTime. */
function firstBucket(window: ChartWindow): number {
	return window.interval === HOUR_MS ? startOfHour(window.startTime) : startOfBeijingDay(window.startTime);
}

export function bucketCount(window: ChartWindow): number {
	return Math.floor((window.endTime - firstBucket(window)) / window.interval) + 1;
}

/** Bucket start times covering [startTime, endTime]; weeks and "months" step from the first day. */
export function bucketStarts(window: ChartWindow): number[] {
	const first = firstBucket(window);
	return Array.from({ length: bucketCount(window) }, (_, i) => first + i * window.interval);
}

function isTimeSeries(chart: ChartDefinition): boolean {
	return chart.layout === 'line' || chart.layout === 'lineWithDimension' || chart.layout === 'verticalBar' || chart.layout === 'bigNumber';
}

/** Combinations of dimension values, one per row (per bucket for time series). */
function dimensionCombinations(chart: ChartDefinition): string[][] {
	return chart.dimensions.reduce<string[][]>(
		(combinations, dimension) => combinations.flatMap((prefix) => dimension.values.map((value) => [...prefix, value])),
		[[]],
	);
}

function targetUsersFor(chart: { targetUsers: string[] }, version: ChartApiVersion): string[] {
	// v1 rows carry no label, so only the first group can be told apart there.
	return version === 'v1' ? chart.targetUsers.slice(0, 1) : chart.targetUsers;
}

/** How many rows a chart request would return, computed without building them. */
export function chartRowCount(chart: ChartDefinition, window: ChartWindow, version: ChartApiVersion = 'v2'): number {
	const buckets = isTimeSeries(chart) ? bucketCount(window) : 1;
	return buckets * dimensionCombinations(chart).length * targetUsersFor(chart, version).length;
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/**
 * One deterministic metric value. `key` identifies the cell (target user, time bucket or range,
 * dimension values); `spanMs` scales counts and amounts, so hours are smaller than days.
 */
export function metricValue(chartId: string, metric: MetricDefinition, key: string, spanMs: number, interval: number, targetUserIndex: number): number {
	if (metric.zeroWhenHourly && interval === HOUR_MS) return 0;
	const u = unitHash(chartId, metric.name, key);
	// Login users are a minority of visitors.
	const audience = targetUserIndex === 0 ? 1 : 0.35;
	switch (metric.kind) {
		case 'count':
			return Math.round((metric.base ?? 1000) * (spanMs / DAY_MS) * audience * (0.6 + 0.8 * u));
		case 'amount':
			return round((metric.base ?? 10_000) * (spanMs / DAY_MS) * audience * (0.6 + 0.8 * u), 2);
		case 'rate':
			return round(0.05 + 0.6 * u, 4);
		case 'duration':
			return round(30 + 570 * u, 2);
	}
}

function cell(chart: ChartDefinition, value: number): Cell {
	return chart.numericStrings ? String(value) : value;
}

function chartRows(chart: ChartDefinition, window: ChartWindow, version: ChartApiVersion): Cell[][] {
	const rows: Cell[][] = [];
	const combinations = dimensionCombinations(chart);
	const rangeKey = `${window.startTime}-${window.endTime}`;
	targetUsersFor(chart, version).forEach((targetUser, targetUserIndex) => {
		const label: Cell[] = version === 'v2' ? [targetUser] : [];
		const values = (key: string, spanMs: number) =>
			chart.metrics.map((metric) => cell(chart, metricValue(chart.id, metric, `${targetUser}|${key}`, spanMs, window.interval, targetUserIndex)));
		if (isTimeSeries(chart)) {
			for (const bucket of bucketStarts(window)) {
				for (const dims of combinations) rows.push([...label, bucket, ...dims, ...values(`${bucket}|${dims.join('|')}`, window.interval)]);
			}
		} else {
			// Dimension-only layouts aggregate the whole range into one row per value combination.
			const spanMs = window.endTime - window.startTime + 1;
			for (const dims of combinations) rows.push([...label, ...dims, ...values(`${rangeKey}|${dims.join('|')}`, spanMs)]);
		}
	});
	return rows;
}

function chartMeta(chart: ChartDefinition, version: ChartApiVersion): MetaColumn[] {
	return [
		...(version === 'v2' ? [TARGET_USER_COLUMN] : []),
		...(isTimeSeries(chart) && !chart.metaWithoutTime ? [TIME_COLUMN] : []),
		...chart.dimensions.map((d): MetaColumn => ({ name: d.name, dimension: true })),
		...chart.metrics.map((m): MetaColumn => ({ name: m.name, metric: true })),
	];
}

/** Big-number summary: the sum (average for rates) of the first metric over the rows. */
function aggregate(chart: ChartDefinition, rows: Cell[][], version: ChartApiVersion): number {
	const column = (version === 'v2' ? 1 : 0) + 1;
	const values = rows.map((row) => Number(row[column]));
	const total = values.reduce((sum, v) => sum + v, 0);
	const metric = chart.metrics[0];
	if (metric.kind === 'count') return total;
	if (metric.kind === 'amount') return round(total, 2);
	return values.length ? round(total / values.length, 4) : 0;
}

export function buildChartReport(chart: ChartDefinition, window: ChartWindow, version: ChartApiVersion = 'v2'): ChartReport {
	const data = chartRows(chart, window, version);
	const report: ChartReport = {
		id: chart.id,
		name: chart.name,
		startTime: window.startTime,
		endTime: window.endTime,
		interval: window.interval,
		meta: chartMeta(chart, version),
		data,
	};
	if (chart.layout === 'bigNumber') {
		// "Previous period" is the window of the same length just before this one.
		const length = window.endTime - window.startTime + 1;
		const previous = { ...window, startTime: window.startTime - length, endTime: window.startTime - 1 };
		const values: [Cell, Cell] = [
			cell(chart, aggregate(chart, data, version)),
			cell(chart, aggregate(chart, chartRows(chart, previous, version), version)),
		];
		// GrowingIO puts aggregator before meta; keep that key order.
		return { id: report.id, name: report.name, startTime: report.startTime, endTime: report.endTime, interval: report.interval, aggregator: { values }, meta: report.meta, data };
	}
	return report;
}

/** Funnel rows: one per Beijing day, each step's users and its conversion from the step before. */
export function funnelRowCount(funnel: FunnelDefinition, window: TimeWindow): number {
	return bucketCount({ ...window, interval: DAY_MS }) * funnel.targetUsers.length;
}

export function buildFunnelReport(funnel: FunnelDefinition, window: TimeWindow, conversionWindow: number): FunnelReport {
	const meta: MetaColumn[] = [TARGET_USER_COLUMN, TIME_COLUMN, { name: '总转化率', metric: true }];
	for (const step of funnel.steps) meta.push({ name: `${step}人数`, metric: true }, { name: `${step}转化率`, metric: true });
	const data: Cell[][] = [];
	funnel.targetUsers.forEach((targetUser) => {
		for (const day of bucketStarts({ ...window, interval: DAY_MS })) {
			const counts: number[] = [];
			const rates: number[] = [];
			funnel.steps.forEach((step, index) => {
				if (index === 0) {
					counts.push(Math.round(funnel.base * (0.7 + 0.6 * unitHash(funnel.id, targetUser, day, step))));
					rates.push(1);
					return;
				}
				// A longer window lets more users finish the next step.
				const rate = Math.min(0.95, 0.3 + 0.5 * unitHash(funnel.id, targetUser, day, step, conversionWindow) + 0.02 * Math.min(conversionWindow, 10));
				const count = Math.round(counts[index - 1] * rate);
				rates.push(counts[index - 1] ? round(count / counts[index - 1], 4) : 0);
				counts.push(count);
			});
			const overall = counts[0] ? round(counts[counts.length - 1] / counts[0], 4) : 0;
			data.push([targetUser, day, overall, ...counts.flatMap((count, index) => [count, rates[index]])]);
		}
	});
	return {
		id: funnel.id,
		name: funnel.name,
		conversionWindow,
		startTime: window.startTime,
		endTime: window.endTime,
		interval: DAY_MS,
		meta,
		data,
	};
}

export const RETENTION_INTERVALS: Record<RetentionRange, number> = { day: DAY_MS, week: WEEK_MS, month: MONTH_MS };

/** Period labels: 当日, 次日, 2日后 … 7日后 (周 and 月 for weekly and monthly retention). */
export function retentionPeriods(range: RetentionRange): string[] {
	const unit = { day: '日', week: '周', month: '月' }[range];
	return [`当${unit}`, `次${unit}`, ...Array.from({ length: 6 }, (_, i) => `${i + 2}${unit}后`)];
}

export function retentionRowCount(retention: RetentionDefinition, window: TimeWindow, range: RetentionRange): number {
	return bucketCount({ ...window, interval: RETENTION_INTERVALS[range] }) * retention.comparisons.length * retention.targetUsers.length;
}

export function buildRetentionReport(retention: RetentionDefinition, window: TimeWindow, range: RetentionRange): RetentionReport {
	const interval = RETENTION_INTERVALS[range];
	const periods = retentionPeriods(range);
	const meta: MetaColumn[] = [
		TARGET_USER_COLUMN,
		{ name: '对比值', dimension: true },
		{ name: '用户行为', dimension: true },
		TIME_COLUMN,
		{ name: '留存人数', metric: true },
	];
	for (const period of periods) meta.push({ name: period, metric: true }, { name: `${period}留存率`, metric: true });
	const data: Cell[][] = [];
	for (const targetUser of retention.targetUsers) {
		for (const comparison of retention.comparisons) {
			for (const cohort of bucketStarts({ ...window, interval })) {
				const key = [retention.id, targetUser, comparison, cohort, range];
				const size = Math.round(retention.base * (interval / DAY_MS) * (0.6 + 0.8 * unitHash(...key, 'size')));
				const cells: Cell[] = [];
				let retained = size;
				periods.forEach((period, index) => {
					// Same-period return is high; after that each period keeps most of the one before.
					const keep = index === 0 ? 0.85 + 0.15 * unitHash(...key, period) : index === 1 ? 0.3 + 0.4 * unitHash(...key, period) : 0.75 + 0.2 * unitHash(...key, period);
					retained = Math.round(retained * keep);
					cells.push(retained, size ? round(retained / size, 4) : 0);
				});
				data.push([targetUser, comparison, retention.behavior, cohort, size, ...cells]);
			}
		}
	}
	return {
		id: retention.id,
		name: retention.name,
		range,
		startTime: window.startTime,
		endTime: window.endTime,
		interval,
		meta,
		data,
	};
}
