/**
 * Reshaping bench: a 200,000-row chart report response body turned into n8n
 * items by the node's own code path, against `JSON.parse` alone on the same body.
 *
 * The node's path for one Chart → Get Data item, after the HTTP answer arrived as text
 * (transport/index.ts → helpers/report.ts):
 *   JSON.parse → tableProblem (shape check) → reportItems: reportToItems (tableToRows: meta+data →
 *   objects, time column → ISO string in Asia/Shanghai + ms), then one { json, pairedItem } per row
 *
 * The body is the sandbox's own chart builder output (chart Pg4tR7wZ, "各页面访问趋势", layout
 * lineWithDimension: 目标用户, 时间, 页面, 页面浏览量; 12 rows per hour, hourly from 2023-01-01),
 * cut to exactly 200,000 rows, GrowingIO's cap for one download.
 *
 * Time: median of RUNS runs of each (alternating, after a warm-up). Memory: each pipeline once in
 * a fresh child process with --expose-gc: peak RSS growth (getrusage maxrss) and heap-used growth
 * with the result still referenced.
 *
 * Run alone: npx ts-node --transpile-only bench/reshape.bench.ts
 * With BENCH_RESULTS=<file>, also writes the figures as JSON there (bench/run.ts reads them).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { reportItems } from '../nodes/GrowingIo/helpers/report';
import { tableProblem, tableToRows, MAX_REPORT_ROWS, type ReportTable } from '../nodes/GrowingIo/helpers/table';
import { DEFAULT_TIMEZONE } from '../nodes/GrowingIo/helpers/timeRange';
import { buildChartReport, findChart } from '../sandbox/data';

const ROWS = MAX_REPORT_ROWS;
const RUNS = Number(process.env.RESHAPE_RUNS ?? 7);
const CHART_ID = 'Pg4tR7wZ';
const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

export interface ReshapeResults {
	rows: number;
	bodyBytes: number;
	runs: number;
	parseMs: number;
	nodeMs: number;
	ratio: number;
	/** Medians of the node path's steps. */
	steps: { parseMs: number; checkMs: number; reportItemsMs: number };
	/** tableToRows without the time column (same body, its 时间 column marked as a metric): how much the ISO dates cost. */
	withoutTimeColumnMs: number;
	memory: { parse: MemoryFigures; node: MemoryFigures };
}

interface MemoryFigures {
	peakRssGrowthBytes: number;
	heapUsedGrowthBytes: number;
}

type Timings = { parseMs: number; checkMs: number; reportItemsMs: number; totalMs: number; items: INodeExecutionData[] };

function buildBody(): string {
	const chart = findChart(CHART_ID);
	if (!chart) throw new Error(`sandbox data has no chart ${CHART_ID}`);
	const rowsPerHour = 12;
	const start = Date.UTC(2023, 0, 1) - 8 * HOUR_MS; // 2023-01-01 00:00 Beijing time
	const hours = Math.ceil(ROWS / rowsPerHour);
	const report = buildChartReport(chart, { startTime: start, endTime: start + hours * HOUR_MS - 1, interval: HOUR_MS });
	if (report.data.length < ROWS) throw new Error(`the builder made ${report.data.length} rows, expected at least ${ROWS}`);
	report.data = report.data.slice(0, ROWS);
	return JSON.stringify(report);
}

/** What the node does with one report body (helpers/report.ts fetchReport + reportExecutionData). */
function nodePath(body: string): Timings {
	const t0 = performance.now();
	const parsed = JSON.parse(body) as IDataObject & ReportTable;
	const t1 = performance.now();
	const problem = tableProblem(parsed);
	if (problem) throw new Error(problem);
	const t2 = performance.now();
	const items = reportItems(parsed, true, DEFAULT_TIMEZONE, 0);
	const t3 = performance.now();
	return { parseMs: t1 - t0, checkMs: t2 - t1, reportItemsMs: t3 - t2, totalMs: t3 - t0, items };
}

function parseOnly(body: string): { ms: number; value: unknown } {
	const t0 = performance.now();
	const value: unknown = JSON.parse(body);
	return { ms: performance.now() - t0, value };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function gc(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** Child mode: one pipeline once, on a fresh heap; prints its memory figures as JSON. */
function memoryChild(mode: string, bodyFile: string): void {
	const body = readFileSync(bodyFile, 'utf8');
	gc();
	gc();
	const rssBefore = process.memoryUsage.rss();
	const heapBefore = process.memoryUsage().heapUsed;
	let kept: unknown;
	if (mode === 'parse') kept = parseOnly(body).value;
	else kept = nodePath(body).items;
	const heapAfter = process.memoryUsage().heapUsed;
	const peakRss = process.resourceUsage().maxRSS * 1024;
	const figures: MemoryFigures = { peakRssGrowthBytes: peakRss - rssBefore, heapUsedGrowthBytes: heapAfter - heapBefore };
	process.stdout.write(`${JSON.stringify(figures)}\n`);
	if (!kept) process.exitCode = 1;
}

function measureMemory(mode: 'parse' | 'node', bodyFile: string): MemoryFigures {
	const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, '--memory', mode, bodyFile], {
		cwd: join(__dirname, '..'),
		encoding: 'utf8',
		env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
	});
	if (child.status !== 0) throw new Error(`memory child (${mode}) failed: ${child.stderr}`);
	const line = child.stdout.trim().split('\n').pop() ?? '';
	return JSON.parse(line) as MemoryFigures;
}

/** tableToRows on the same table with its time column taken for a metric: no Luxon per row. */
function withoutTimeColumn(body: string): number {
	const parsed = JSON.parse(body) as ReportTable;
	parsed.meta = parsed.meta.map((column) => (column.name === '时间' ? { name: column.name, metric: true } : column));
	const t0 = performance.now();
	tableToRows(parsed, DEFAULT_TIMEZONE);
	return performance.now() - t0;
}

function mb(bytes: number): string {
	return `${(bytes / MB).toFixed(0)} MB`;
}

export async function runReshapeBench(): Promise<ReshapeResults> {
	const body = buildBody();
	const work = mkdtempSync(join(tmpdir(), 'growingio-reshape-'));
	try {
		const bodyFile = join(work, 'body.json');
		writeFileSync(bodyFile, body);
		console.log(`reshape: chart ${CHART_ID}, ${ROWS} rows, body ${mb(Buffer.byteLength(body))} (${Buffer.byteLength(body)} bytes); ${RUNS} runs each after a warm-up`);

		// Warm-up: compile the hot paths of both.
		parseOnly(body);
		const warm = nodePath(body);
		if (warm.items.length !== ROWS) throw new Error(`the node path made ${warm.items.length} items, expected ${ROWS}`);
		const first = warm.items[0].json;
		if (typeof first['时间'] !== 'string' || typeof first['时间 (ms)'] !== 'number') {
			throw new Error(`the time column was not converted: ${JSON.stringify(first)}`);
		}
		console.log(`reshape: first item ${JSON.stringify(first)}`);

		const parseTimes: number[] = [];
		const nodeTimes: Timings[] = [];
		const noTimeColumn: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			gc();
			parseTimes.push(parseOnly(body).ms);
			gc();
			const timings = nodePath(body);
			timings.items = [];
			nodeTimes.push(timings);
			gc();
			noTimeColumn.push(withoutTimeColumn(body));
		}
		const parseMs = median(parseTimes);
		const nodeMs = median(nodeTimes.map((t) => t.totalMs));
		const steps = {
			parseMs: median(nodeTimes.map((t) => t.parseMs)),
			checkMs: median(nodeTimes.map((t) => t.checkMs)),
			reportItemsMs: median(nodeTimes.map((t) => t.reportItemsMs)),
		};
		const memory = { parse: measureMemory('parse', bodyFile), node: measureMemory('node', bodyFile) };
		const results: ReshapeResults = {
			rows: ROWS,
			bodyBytes: Buffer.byteLength(body),
			runs: RUNS,
			parseMs,
			nodeMs,
			ratio: nodeMs / parseMs,
			steps,
			withoutTimeColumnMs: median(noTimeColumn),
			memory,
		};
		const f = (ms: number) => `${ms.toFixed(0)} ms`;
		console.log(`reshape: JSON.parse alone: median ${f(parseMs)} (runs: ${parseTimes.map((t) => t.toFixed(0)).join(', ')})`);
		console.log(`reshape: node path: median ${f(nodeMs)} (runs: ${nodeTimes.map((t) => t.totalMs.toFixed(0)).join(', ')})`);
		console.log(
			`reshape:   steps (medians): JSON.parse ${f(steps.parseMs)}, tableProblem ${f(steps.checkMs)}, reportItems (rows → items) ${f(steps.reportItemsMs)}`,
		);
		console.log(`reshape:   tableToRows with the time column left as a number: ${f(results.withoutTimeColumnMs)}`);
		console.log(`reshape: ratio node path / JSON.parse: ${results.ratio.toFixed(2)} (goal ≤ 2)`);
		console.log(
			`reshape: memory, each alone in a fresh process: JSON.parse peak RSS +${mb(memory.parse.peakRssGrowthBytes)}, heap used +${mb(memory.parse.heapUsedGrowthBytes)}; ` +
				`node path peak RSS +${mb(memory.node.peakRssGrowthBytes)}, heap used +${mb(memory.node.heapUsedGrowthBytes)} (items still referenced)`,
		);
		return results;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const memoryAt = process.argv.indexOf('--memory');
	if (memoryAt >= 0) {
		memoryChild(process.argv[memoryAt + 1], process.argv[memoryAt + 2]);
	} else {
		runReshapeBench()
			.then((results) => {
				if (process.env.BENCH_RESULTS) writeFileSync(process.env.BENCH_RESULTS, JSON.stringify(results, null, 2));
			})
			.catch((error: unknown) => {
				console.error(error);
				process.exitCode = 1;
			});
	}
}
