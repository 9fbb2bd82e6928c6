/**
 * `npm run bench`: every benchmark in one run, then one Markdown results table.
 * Not part of `npm test`: figures are printed, goals are not asserted.
 *
 *   1. bench/atLimit.bench.ts   N = 40 chart reports through real n8n 2.8.4 at GrowingIO's
 *                               2 requests/s, the GrowingIO node against the HTTP Request node
 *   2. bench/openPanelAtLimit.bench.ts  N = 300 OpenPanel charts through real n8n 2.8.4 against
 *                               the OpenPanel imitation's 100 requests per 10 s
 *   3. bench/reshape.bench.ts   200,000-row report body → items, against JSON.parse alone
 *   4. bench/rawExport.bench.ts raw-export download and parse ratios
 *
 * Each bench runs in its own Node process (its memory and timers stay its own). The table is
 * printed at the end and written into docs/performance.md between the bench:results markers
 * when every bench ran (BENCH_REPORT=<file> to write elsewhere, BENCH_REPORT=none to skip).
 *
 *   npm run bench                       all four (about 6–7 minutes on 2 cores)
 *   npm run bench -- atLimit reshape    only those (names: atLimit openPanel reshape rawExport)
 *
 * Builds the package if dist/ is missing; installs n8n 2.8.4 into .cache/ if it is missing.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { AtLimitResults, AtLimitRow } from './atLimit.bench';
import type { OpenPanelAtLimitResults } from './openPanelAtLimit.bench';
import type { ReshapeResults } from './reshape.bench';

const REPO = path.resolve(__dirname, '..');
const N8N_BIN = process.env.N8N_BIN ?? path.join(REPO, '.cache/n8n-2.8.4/node_modules/.bin/n8n');
const REPORT = process.env.BENCH_REPORT ?? path.join(__dirname, '..', 'docs', 'performance.md');
const START_MARKER = '<!-- bench:results:start -->';
const END_MARKER = '<!-- bench:results:end -->';

const BENCHES = ['atLimit', 'openPanel', 'reshape', 'rawExport'] as const;
/** The file of each bench under bench/. */
const BENCH_FILES: Record<BenchName, string> = { atLimit: 'atLimit', openPanel: 'openPanelAtLimit', reshape: 'reshape', rawExport: 'rawExport' };
/** The packages each bench runs in n8n, from their dist/. */
const BENCH_PACKAGES: Partial<Record<BenchName, string>> = { atLimit: REPO, openPanel: path.join(REPO, 'packages', 'n8n-nodes-openpanel') };
type BenchName = (typeof BENCHES)[number];

interface RawExportResults {
	downloadRatio?: number;
	memoryRatio?: number;
	parseRatio?: number;
	rows?: number;
	lines: string[];
}

interface BenchOutcome {
	name: BenchName;
	code: number | null;
	seconds: number;
	stdout: string;
	results?: unknown;
}

// Scenario/client labels, kept here too so that importing atLimit.bench.ts (which has side effects
// only under require.main) is not needed for the table.
const SCENARIO_LABELS: Record<string, string> = { a: '(a) plain', b: '(b) 2 s server latency', c: '(c) 2 workflows at once, 1 n8n' };
const CLIENT_LABELS: Record<string, string> = {
	ours: '**GrowingIO node**',
	peer: 'HTTP Request node (batch 1 / 500 ms, Retry On Fail off)',
	peerRetry: 'HTTP Request node (batch 1 / 500 ms, Retry On Fail 3 × 1000 ms)',
};

function run(command: string, args: string[]): number | null {
	return spawnSync(command, args, { cwd: REPO, stdio: 'inherit' }).status;
}

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
		else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
	}
	return newest;
}

/** A package's dist/ must exist for real n8n; build when it does not (and say when it looks stale). */
function ensureBuilt(packageDir: string): void {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	const files = [...manifest.n8n.nodes, ...manifest.n8n.credentials].map((f) => path.join(packageDir, f));
	const where = path.relative(REPO, packageDir) || '.';
	if (files.some((f) => !fs.existsSync(f))) {
		console.log(`bench: ${where}/dist is missing; running npm run build`);
		if (run('npm', ['run', 'build']) !== 0) throw new Error('npm run build failed');
		return;
	}
	const built = Math.min(...files.map((f) => fs.statSync(f).mtimeMs));
	const sources = Math.max(newestMtime(path.join(packageDir, 'nodes')), newestMtime(path.join(packageDir, 'credentials')));
	if (sources > built) console.log(`bench: note: ${where}/nodes or credentials changed after its dist/ was built; the n8n bench uses dist/ (run npm run build to refresh it)`);
}

function ensureN8n(): void {
	if (fs.existsSync(N8N_BIN)) return;
	if (process.env.N8N_BIN) throw new Error(`N8N_BIN=${N8N_BIN} does not exist`);
	console.log('bench: n8n 2.8.4 is not installed; running test/e2e/install-n8n.sh (5–7 minutes, once)');
	if (run('bash', ['test/e2e/install-n8n.sh']) !== 0) throw new Error('installing n8n failed');
}

/** Runs bench/<name>.bench.ts in its own process, echoing its output; results come back as JSON in a file. */
async function runBench(name: BenchName, resultsDir: string): Promise<BenchOutcome> {
	const resultsFile = path.join(resultsDir, `${name}.json`);
	const began = Date.now();
	console.log(`\n=== bench ${name} ===`);
	let stdout = '';
	const code = await new Promise<number | null>((resolve, reject) => {
		const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, `${BENCH_FILES[name]}.bench.ts`)], {
			cwd: REPO,
			env: { ...process.env, BENCH_RESULTS: resultsFile, TS_NODE_PREFER_TS_EXTS: 'true', TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout += String(chunk);
			process.stdout.write(chunk);
		});
		child.once('error', reject);
		child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : null)));
	});
	const seconds = (Date.now() - began) / 1000;
	console.log(`=== bench ${name}: ${seconds.toFixed(1)} s, exit ${code} ===`);
	let results: unknown;
	if (name === 'rawExport') results = parseRawExport(stdout);
	else if (fs.existsSync(resultsFile)) results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	return { name, code, seconds, stdout, results };
}

/** rawExport.bench.ts prints its ratios as text; pick them out. */
function parseRawExport(stdout: string): RawExportResults {
	const number = (pattern: RegExp) => {
		const match = pattern.exec(stdout);
		return match ? Number(match[1]) : undefined;
	};
	return {
		downloadRatio: number(/download\s+ratio node \/ \S+: ([\d.]+)/),
		memoryRatio: number(/memory\s+ratio RSS growth \/ file size: ([\d.]+)/),
		parseRatio: number(/parse\s+ratio node \/ bare: ([\d.]+)/),
		rows: number(/part-00000 with (\d+) rows/),
		lines: stdout.split('\n').filter((line) => /^(download|memory|parse)\s/.test(line)),
	};
}

function machine(): string {
	const cpus = os.cpus();
	const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
	const load = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
	return `${cores} CPU cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average at start ${load}`;
}

const f = (value: number | undefined, digits = 2) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

function atLimitTable(results: AtLimitResults): string[] {
	const rows = [...results.rows].sort((x, y) => x.scenario.localeCompare(y.scenario) || order(x) - order(y));
	const lines = [
		`#### At the limit: ${rows[0]?.reports ?? 40} chart reports per workflow through n8n ${results.n8nVersion}, sandbox in strict mode (429 for a 3rd request in any 1 s)`,
		'',
		'| Scenario | Client | Requests | 429s | Reports delivered | Time | ÷ (N−1)/2 | ÷ ((N−1)/2 + latency) | Most in any 1 s | Closest request i → i+2 |',
		'|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
	];
	for (const row of rows) {
		const other = row.otherErrors ? ` (+${row.otherErrors} other errors)` : '';
		const failed = row.workflowsSucceeded < row.workflows ? ` (${row.workflows - row.workflowsSucceeded} of ${row.workflows} workflows failed)` : '';
		lines.push(
			`| ${SCENARIO_LABELS[row.scenario]} | ${CLIENT_LABELS[row.client]} | ${row.requests} | ${row.tooMany}${other} | ${row.delivered}/${row.reports}${failed} | ${f(row.seconds, 2)} s | ${f(row.ratio, 3)} | ${row.ratioAchievable === undefined ? '—' : f(row.ratioAchievable, 3)} | ${row.maxInAnyWindow} | ${f(row.minSpanOfThreeMs, 0)} ms |`,
		);
	}
	lines.push(
		'',
		'Goal: ratio ≤ 1.01 with 0 × 429 in all three scenarios (pairs leave together, a window + 25 ms margin apart, so a run can even come in under (N−1)/2). ' +
			'N = 40 per workflow; (c) is 2 × 40 = 80 requests, ideal (80−1)/2 = 39.5 s. Time = first request\'s arrival at the sandbox → last response sent, on the sandbox\'s clock (n8n\'s start-up is not included). ' +
			'With 2 s of server latency nobody can finish in (N−1)/2: the last answer comes at best (N−1)/2 + 2 s after the first request, hence the second ratio. ' +
			'"Closest request i → i+2": the shortest time between a request\'s arrival and the arrival of the one two places later; under 1000 ms means a 429. ' +
			`Both clients sent the same ${rows[0]?.reports ?? 40} requests (same chart ids and query strings): ${results.sameQueries ? 'checked' : 'NOT the same in this run'}.`,
	);
	return lines;
}

function order(row: AtLimitRow): number {
	return ['ours', 'peer', 'peerRetry'].indexOf(row.client);
}

function openPanelTable(r: OpenPanelAtLimitResults): string[] {
	const window = `${r.maxInAnyWindow}/100`;
	const failed = r.workflowSucceeded ? '' : ` (the workflow failed${r.error ? `: ${r.error}` : ''})`;
	return [
		`#### At the limit, OpenPanel: ${r.reports} chart requests through n8n ${r.n8nVersion}, OpenPanel imitation (429 for a 101st request in any 10 s)`,
		'',
		`| Client | Requests | 429s | Charts delivered | First → ${r.reports}th start | Ideal | Ratio time ÷ ideal | First start → last answer | Most in any 10 s | Closest request i → i+100 |`,
		'|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
		`| **OpenPanel node** | ${r.requests}${r.otherErrors ? ` (+${r.otherErrors} other errors)` : ''} | ${r.tooMany} | ${r.delivered}/${r.reports}${failed} | ${f(r.startSeconds, 2)} s | ${f(r.ideal, 0)} s | **${f(r.ratio, 3)}** | ${f(r.seconds, 2)} s | ${window} | ${f(r.minSpanOfWindowMs, 0)} ms |`,
		'',
		'Goal: 0 × 429 and a ratio close to 1. Ideal = the fastest the window allows: 100 starts at once, the next 100 one window later, so the 300th start comes 20 s after the first; ' +
			'the ratio is ideal ÷ measured (the inverse of the GrowingIO table\'s time ÷ ideal). Workflow: Manual Trigger → Code (300 items) → OpenPanel node, Chart → Get Data (sign_up, Yesterday, Interval Day), ' +
			'one request per item, up to 4 items in flight, the package installed from its tarball. Times, the 429 count and the busiest window are from the imitation\'s own arrival record; ' +
			'"Closest request i → i+100": under 10,000 ms would mean a 429.',
	];
}

function reshapeTable(results: ReshapeResults): string[] {
	const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
	return [
		`#### Reshaping: a ${results.rows.toLocaleString('en-US')}-row chart report (${mb(results.bodyBytes)} body) into items`,
		'',
		`| Path | Time (median of ${results.runs}) | ÷ JSON.parse | Peak RSS growth | Heap used growth |`,
		'|---|--:|--:|--:|--:|',
		`| \`JSON.parse\` alone | ${f(results.parseMs, 0)} ms | 1.00 | ${mb(results.memory.parse.peakRssGrowthBytes)} | ${mb(results.memory.parse.heapUsedGrowthBytes)} |`,
		`| **GrowingIO node** (JSON.parse → tableProblem → reportItems) | ${f(results.nodeMs, 0)} ms | **${f(results.ratio)}** (goal ≤ 2) | ${mb(results.memory.node.peakRssGrowthBytes)} | ${mb(results.memory.node.heapUsedGrowthBytes)} |`,
		'',
		`Node path by step (medians): JSON.parse ${f(results.steps.parseMs, 0)} ms, tableProblem ${f(results.steps.checkMs, 0)} ms, reportItems (rows → items) ${f(results.steps.reportItemsMs, 0)} ms. ` +
			`tableToRows on the same body with the time column left as a number: ${f(results.withoutTimeColumnMs, 0)} ms (the difference is what the ISO dates cost). ` +
			'Memory: each path once in a fresh process; peak RSS from getrusage, heap growth with the result still referenced.',
	];
}

function rawExportTable(results: RawExportResults): string[] {
	return [
		`#### Raw export: the sandbox's large part${results.rows ? ` (${results.rows.toLocaleString('en-US')} rows)` : ''}, node against curl and a bare parser`,
		'',
		'| Measure | Ratio |',
		'|---|--:|',
		`| Download speed, node ÷ curl | ${f(results.downloadRatio)} |`,
		`| Peak RSS growth ÷ file size | ${f(results.memoryRatio)} |`,
		`| Parse rows/s, node reader ÷ bare zlib + papaparse | ${f(results.parseRatio)} |`,
		'',
		...results.lines.map((line) => `    ${line}`),
	];
}

function writeReport(block: string): void {
	if (REPORT === 'none') return;
	const wrapped = `${START_MARKER}\n${block}\n${END_MARKER}`;
	let text = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '';
	const start = text.indexOf(START_MARKER);
	const end = text.indexOf(END_MARKER);
	if (start >= 0 && end > start) text = `${text.slice(0, start)}${wrapped}${text.slice(end + END_MARKER.length)}`;
	else text = `${text ? `${text.trimEnd()}\n\n` : '# Performance\n\n'}${wrapped}\n`;
	fs.writeFileSync(REPORT, text);
	console.log(`bench: results written to ${path.relative(REPO, REPORT)}`);
}

async function main(): Promise<number> {
	const began = Date.now();
	const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
	const unknown = asked.filter((name) => !(BENCHES as readonly string[]).includes(name));
	if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
	const selected = BENCHES.filter((name) => !asked.length || asked.includes(name));
	const date = new Date();
	const machineText = machine();
	console.log(`bench: ${selected.join(', ')} on ${machineText}; ${date.toISOString()}`);

	const packages = selected.flatMap((name) => BENCH_PACKAGES[name] ?? []);
	for (const packageDir of packages) ensureBuilt(packageDir);
	if (packages.length) ensureN8n();
	const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'growingio-bench-results-'));
	const outcomes: BenchOutcome[] = [];
	try {
		for (const name of selected) outcomes.push(await runBench(name, resultsDir));
	} finally {
		fs.rmSync(resultsDir, { recursive: true, force: true });
	}
	const totalSeconds = (Date.now() - began) / 1000;

	const lines = [
		`### Results of \`npm run bench\`, ${date.toISOString().slice(0, 10)}`,
		'',
		`Machine: ${machineText}. Whole run ${Math.floor(totalSeconds / 60)} min ${Math.round(totalSeconds % 60)} s (${outcomes.map((o) => `${o.name} ${o.seconds.toFixed(0)} s`).join(', ')}).`,
		'',
	];
	for (const outcome of outcomes) {
		if (!outcome.results || outcome.code !== 0) {
			lines.push(`#### ${outcome.name}`, '', `The bench failed (exit ${outcome.code}); see its output above.`, '');
			continue;
		}
		if (outcome.name === 'atLimit') lines.push(...atLimitTable(outcome.results as AtLimitResults), '');
		if (outcome.name === 'openPanel') lines.push(...openPanelTable(outcome.results as OpenPanelAtLimitResults), '');
		if (outcome.name === 'reshape') lines.push(...reshapeTable(outcome.results as ReshapeResults), '');
		if (outcome.name === 'rawExport') lines.push(...rawExportTable(outcome.results as RawExportResults), '');
	}
	const block = lines.join('\n').trimEnd();
	console.log(`\n${block}\n`);
	// A run of some benches only would replace the others' figures in the report: it is printed only.
	if (selected.length === BENCHES.length || process.env.BENCH_REPORT) writeReport(block);
	else console.log('bench: only some benches ran, so docs/performance.md is left as it is (set BENCH_REPORT to write the block anyway)');
	console.log(`bench: total ${totalSeconds.toFixed(1)} s`);
	return outcomes.every((o) => o.code === 0) ? 0 : 1;
}

main()
	.then((code) => process.exit(code))
	.catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
