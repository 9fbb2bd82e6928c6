/**
 * e2e checks of the report examples (daily KPI digest, chart rows to CSV) on the snapshots that
 * real n8n's execute-batch wrote. Expected rows come from the sandbox's report builders.
 */
import { isDeepStrictEqual } from 'util';
import { DateTime } from 'luxon';

import { buildChartReport, findChart, findDashboard } from '../../sandbox/data';
import { expectedDashboardRows, expectedRows } from '../helpers/reportOracle';
import { binaryContent } from './n8nProcess';

type Json = Record<string, unknown>;
type Check = (name: string, ok: boolean, detail?: string) => void;

export const DIGEST_EXAMPLE_ID = 'growingio-example-2';
export const CSV_EXAMPLE_ID = 'growingio-example-3';

function output(snapshot: Json, nodeName: string): Array<{ json: Json; binary?: Record<string, Json> }> {
	const data = snapshot.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }>> } }>> } };
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/** Whole Beijing days ending yesterday, as the node's presets compute them. */
function beijingDays(daysBack: number) {
	const today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
	return { startTime: today.minus({ days: daysBack }).toMillis(), endTime: today.toMillis() - 1 };
}

export function checkDigestExample(snapshot: Json | undefined, check: Check) {
	const title = 'daily KPI digest: yesterday\'s rows of every chart on 每日核心指标, and one message with each row\'s chart and numbers';
	if (!snapshot) return check(title, false, 'no snapshot');
	const dashboard = findDashboard('YoX28w7R')!;
	const rows = output(snapshot, "Yesterday's KPIs").map((item) => item.json);
	const expected = dashboard.items.flatMap((id) => expectedDashboardRows(id, beijingDays(1)));
	if (!isDeepStrictEqual(rows, expected)) {
		const index = rows.findIndex((row, i) => !isDeepStrictEqual(row, expected[i]));
		return check(title, false, `got ${rows.length} rows, expected ${expected.length}; first difference at ${index}: ${JSON.stringify(rows[index])} vs ${JSON.stringify(expected[index])}`);
	}
	const messages = output(snapshot, 'Build Message').map((item) => String(item.json.text ?? ''));
	const names = [...new Set(expected.map((row) => String(row.chartName)))];
	const problem = messages.length === 1 ? digestProblem(messages[0], expected) : `${messages.length} messages, expected 1`;
	check(`${title} (${rows.length} rows, ${names.length} charts)`, problem === undefined, problem);
}

/** Columns the digest leaves out of a row's numbers: the tags and the row's dimensions. */
const NOT_IN_DIGEST = new Set(['chartId', 'chartName', 'chartType', '目标用户', '时间', '时间 (ms)']);

/** Why the message is not one "• chart: metric value, …" line per expected row, in order; undefined if it is. */
function digestProblem(message: string, expected: Json[]): string | undefined {
	const lines = message.split('\n').filter((line) => line.startsWith('• '));
	if (lines.length !== expected.length) return `message has ${lines.length} • lines, expected ${expected.length} (one per row)`;
	for (const [index, row] of expected.entries()) {
		const numbers = Object.entries(row).filter(([key]) => !NOT_IN_DIGEST.has(key)).map(([key, value]) => `${key} ${String(value)}`);
		const missing = [`• ${String(row.chartName)}: `, ...numbers].filter((part) => !lines[index].includes(part));
		if (missing.length) return `line ${index + 1} "${lines[index]}" lacks ${missing.join(', ')}`;
	}
	return undefined;
}

export function checkCsvExample(snapshot: Json | undefined, userFolder: string, check: Check) {
	const title = 'chart rows to CSV: last 7 days of 各渠道访问趋势 as items and as a CSV file with a header row';
	if (!snapshot) return check(title, false, 'no snapshot');
	const chart = findChart('Ld8vN2qZ')!;
	const expected = expectedRows(buildChartReport(chart, { ...beijingDays(7), interval: 86400000 }));
	const rows = output(snapshot, 'Chart Rows').map((item) => item.json);
	if (!isDeepStrictEqual(rows, expected)) return check(title, false, `got ${rows.length} rows, expected ${expected.length}`);

	const files = output(snapshot, 'To CSV File');
	const binary = files[0]?.binary?.data as { id?: string; data?: string; fileName?: string; mimeType?: string } | undefined;
	const content = binaryContent(binary, userFolder);
	if (files.length !== 1 || !binary || !content) return check(title, false, `expected one item with a binary file, got ${JSON.stringify(files).slice(0, 300)}`);
	const lines = content.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
	const header = Object.keys(expected[0]).join(',');
	const ok = binary.fileName === 'growingio-chart.csv' && lines[0] === header && lines.length === expected.length + 1 && lines[1].includes(String((expected[0] as Record<string, unknown>)['时间']));
	check(`${title} (${rows.length} rows)`, ok, ok ? undefined : `file ${binary.fileName}, ${lines.length} lines, header "${lines[0]}" (expected "${header}"), first row "${lines[1]}"`);
}
