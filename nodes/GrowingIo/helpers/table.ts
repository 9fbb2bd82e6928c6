import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

/**
 * GrowingIO reports come as `meta` (column names, each a dimension or a metric) plus `data`
 * (rows of cells in meta order) for every layout: line, bar, table, big number, bubble, funnel,
 * retention (notes §3.1). Zipping each row with the meta names turns any of them into items.
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

/** Indexes of dimension columns whose every value is a millisecond timestamp. */
function timeColumns(table: ReportTable): number[] {
	return table.meta
		.map((column, index) => ({ column, index }))
		.filter(({ column, index }) => !column.metric && table.data.length > 0 && table.data.every((row) => isTimestamp(row[index])))
		.map(({ index }) => index);
}

export const millisecondsKey = (key: string) => `${key} (ms)`;

/**
 * One object per data row. Numbers stay numbers. A time column becomes an ISO date-time in
 * `timezone` (what Sheets, Slack and databases read), with GrowingIO's milliseconds kept beside
 * it (e.g. `时间` and `时间 (ms)`); spreadsheet exports would show 13-digit numbers as 1.79E+12.
 */
export function tableToRows(table: ReportTable, timezone: string): IDataObject[] {
	const keys = columnKeys(table.meta);
	const times = new Set(timeColumns(table));
	return table.data.map((row) => {
		const item: IDataObject = {};
		keys.forEach((key, index) => {
			const cell = row[index];
			if (times.has(index)) {
				const ms = Number(cell);
				item[key] = DateTime.fromMillis(ms, { zone: timezone }).toISO();
				item[millisecondsKey(key)] = ms;
			} else {
				item[key] = (table.meta[index].metric ? toNumber(cell) : cell) as IDataObject[string];
			}
		});
		return item;
	});
}

/** Checks that a payload is a meta+data table whose rows fit the meta; says what is wrong. */
export function tableProblem(payload: unknown): string | undefined {
	if (!payload || typeof payload !== 'object') return 'expected an object with meta and data';
	const { meta, data } = payload as Partial<ReportTable>;
	if (!Array.isArray(meta) || meta.some((column) => !column || typeof column !== 'object' || typeof column.name !== 'string')) {
		return 'expected meta to be a list of {name, dimension|metric} columns';
	}
	if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) return 'expected data to be a list of rows';
	const bad = data.findIndex((row) => row.length !== meta.length);
	if (bad >= 0) return `row ${bad + 1} has ${data[bad].length} cells but meta names ${meta.length} columns`;
	return undefined;
}
