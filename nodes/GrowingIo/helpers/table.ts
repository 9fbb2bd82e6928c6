import { DateTime, Info } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

/**
 * GrowingIO reports come as `meta` (column names, each a dimension or a metric) plus `data`
 * (rows of cells in meta order) for every layout: line, bar, table, big number, bubble, funnel,
 * retention. Zipping each row with the meta names turns any of them into items.
 */

export interface MetaColumn {
	name: string;
	dimension?: boolean;
	metric?: boolean;
}

export interface ReportTable {
	meta: MetaColumn[];
	data: unknown[][];
}

/** GrowingIO's hard cap for one chart download. */
export const MAX_REPORT_ROWS = 200000;

/** Millisecond timestamps between 2001 and 2286: the time column of time-series layouts. */
function isTimestamp(value: unknown): boolean {
	const n = typeof value === 'string' && /^\d{12,13}$/.test(value) ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 1e12 && n < 1e13;
}

/** Metric cells may arrive as numeric strings (seen in real clients); make them numbers. */
function toNumber(value: unknown): unknown {
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return value;
}

/** Unique keys from meta names: a repeated name gets " (2)", " (3)" … */
export function columnKeys(meta: MetaColumn[]): string[] {
	const seen = new Map<string, number>();
	return meta.map(({ name }) => {
		const base = String(name ?? '').trim() || 'column';
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base} (${count})`;
	});
}

/** Name of the time column GrowingIO's own meta uses; given to a time column meta leaves out. */
export const TIME_COLUMN_NAME = '时间';

/**
 * The meta that names every cell of the rows. GrowingIO's v2 chart sample lists no time column
 * in meta while its line-chart rows carry a timestamp, so rows one cell wider than meta get a
 * 时间 column where every row holds a millisecond timestamp, at or before the first metric.
 * Undefined when the rows do not fit meta either way.
 */
export function metaForRows(table: ReportTable): MetaColumn[] | undefined {
	const { meta, data } = table;
	if (data.every((row) => row.length === meta.length)) return meta;
	if (!data.every((row) => row.length === meta.length + 1)) return undefined;
	const firstMetric = meta.findIndex((column) => column.metric);
	const last = firstMetric < 0 ? meta.length : firstMetric;
	for (let index = 0; index <= last; index++) {
		if (data.every((row) => isTimestamp(row[index]))) {
			return [...meta.slice(0, index), { name: TIME_COLUMN_NAME, dimension: true }, ...meta.slice(index)];
		}
	}
	return undefined;
}

/** Indexes of dimension columns whose every value is a millisecond timestamp. */
function timeColumns(table: ReportTable): number[] {
	return table.meta
		.map((column, index) => ({ column, index }))
		.filter(({ column, index }) => !column.metric && table.data.length > 0 && table.data.every((row) => isTimestamp(row[index])))
		.map(({ index }) => index);
}

export const millisecondsKey = (key: string) => `${key} (ms)`;

const WEEK_MS = 7 * 86400000;
const HOUR_MS = 3600000;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => pad(value));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, value) => pad(value, 3));

/**
 * ISO date-times in `timezone`, exactly as luxon's toISO() writes them, but fast enough for
 * 200,000 rows: luxon's offset lookup costs microseconds, so it is asked once per week (a week
 * whose start and end offsets differ holds a DST change and falls back to luxon for each value),
 * and each distinct time is formatted once. `rememberAll: false` remembers only the last time:
 * for raw events, whose times are nearly all distinct, so memory stays flat over millions.
 */
export function isoFormatter(timezone: string, { rememberAll = true } = {}): (ms: number) => string {
	const zone = Info.normalizeZone(timezone);
	const boundaryOffsets = new Map<number, number>();
	const formatted = new Map<number, string>();
	const offsetAtBoundary = (week: number) => {
		let offset = boundaryOffsets.get(week);
		if (offset === undefined) boundaryOffsets.set(week, (offset = zone.offset(week * WEEK_MS)));
		return offset;
	};
	/** The week's offset, or null if it changes during the week. */
	const offsetOfWeek = (week: number) => {
		const start = offsetAtBoundary(week);
		return start === offsetAtBoundary(week + 1) ? start : null;
	};
	// luxon writes "Z" for UTC itself (a fixed zone) and "+00:00" for other zones at offset 0.
	const suffix = (minutes: number) =>
		minutes === 0 && zone.isUniversal ? 'Z' : `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
	// The text up to the hour ("2026-11-30T14:") and the offset's, for the last local hour.
	let hourStart = NaN;
	let hourOffset = NaN;
	let hourText = '';
	let offsetText = '';
	let lastMs = NaN;
	let lastText = '';
	return (ms) => {
		// Rows often repeat the time of the row before (one row per dimension value).
		if (ms === lastMs) return lastText;
		let text = rememberAll ? formatted.get(ms) : undefined;
		if (text === undefined) {
			const offset = zone.isValid ? offsetOfWeek(Math.floor(ms / WEEK_MS)) : null;
			if (offset !== null) {
				const local = ms + offset * 60000;
				const inHour = local - Math.floor(local / HOUR_MS) * HOUR_MS;
				if (local - inHour !== hourStart || offset !== hourOffset) {
					const hour = new Date(local - inHour);
					hourStart = local - inHour;
					hourOffset = offset;
					hourText = `${pad(hour.getUTCFullYear(), 4)}-${pad(hour.getUTCMonth() + 1)}-${pad(hour.getUTCDate())}T${pad(hour.getUTCHours())}:`;
					offsetText = suffix(offset);
				}
				text = `${hourText}${TWO_DIGITS[Math.floor(inHour / 60000)]}:${TWO_DIGITS[Math.floor(inHour / 1000) % 60]}.${THREE_DIGITS[inHour % 1000]}${offsetText}`;
			} else {
				text = DateTime.fromMillis(ms, { zone: timezone }).toISO() ?? '';
			}
			if (rememberAll) formatted.set(ms, text);
		}
		lastMs = ms;
		lastText = text;
		return text;
	};
}

/**
 * One object per data row. Numbers stay numbers. A time column becomes an ISO date-time in
 * `timezone` (what Sheets, Slack and databases read), with GrowingIO's milliseconds kept beside
 * it (e.g. `时间` and `时间 (ms)`); spreadsheet exports would show 13-digit numbers as 1.79E+12.
 */
export function tableToRows(report: ReportTable, timezone: string): IDataObject[] {
	const table = { meta: metaForRows(report) ?? report.meta, data: report.data };
	const keys = columnKeys(table.meta);
	const times = new Set(timeColumns(table));
	const toIso = isoFormatter(timezone);
	const TIME = 1;
	const METRIC = 2;
	const kinds = keys.map((_, index) => (times.has(index) ? TIME : table.meta[index].metric ? METRIC : 0));
	const msKeys = keys.map(millisecondsKey);
	const rows: IDataObject[] = new Array(table.data.length);
	for (let r = 0; r < table.data.length; r++) {
		const row = table.data[r];
		const item: IDataObject = {};
		for (let index = 0; index < keys.length; index++) {
			const cell = row[index];
			const kind = kinds[index];
			if (kind === TIME) {
				const ms = Number(cell);
				item[keys[index]] = toIso(ms);
				item[msKeys[index]] = ms;
			} else {
				item[keys[index]] = (kind === METRIC ? toNumber(cell) : cell) as IDataObject[string];
			}
		}
		rows[r] = item;
	}
	return rows;
}

/** Checks that a payload is a meta+data table whose rows fit the meta; says what is wrong. */
export function tableProblem(payload: unknown): string | undefined {
	if (!payload || typeof payload !== 'object') return 'expected an object with meta and data';
	const { meta, data } = payload as Partial<ReportTable>;
	if (!Array.isArray(meta) || meta.some((column) => !column || typeof column !== 'object' || typeof column.name !== 'string')) {
		return 'expected meta to be a list of {name, dimension|metric} columns';
	}
	if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) return 'expected data to be a list of rows';
	if (metaForRows({ meta, data })) return undefined;
	const bad = data.findIndex((row) => row.length !== meta.length);
	const extra = data[bad].length === meta.length + 1 ? ' (and no cell before the metrics is a millisecond timestamp for every row)' : '';
	return `row ${bad + 1} has ${data[bad].length} cells but meta names ${meta.length} columns${extra}`;
}
