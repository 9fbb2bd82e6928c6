/**
 * "At the limit" bench: N = 40 chart reports through a REAL n8n 2.8.4
 * (`n8n execute-batch`) against the strict sandbox (429 for a 3rd request inside any 1 s window),
 * once with the GrowingIO node and once with n8n's own HTTP Request node set up as a careful user
 * would (Options → Batching: 1 item per 500 ms; Header Auth credential `Authorization: <token>`;
 * no Retry On Fail, n8n's default; optionally a row with Retry On Fail 3 tries / 1000 ms).
 *
 * Both workflows: Manual Trigger → Code (40 items: chartId + the last 7 complete days in Beijing
 * time) → the client node. The GrowingIO node uses Chart → Get Data, Time Range "Last 7 Days",
 * Interval Day (API v2, one request per item); the HTTP Request node GETs
 * <sandbox>/v2/projects/<uid>/charts/<id>.json?startTime&endTime&interval=86400000, the same
 * request (the bench checks that both sent the same query strings).
 *
 * Scenarios: (a) plain; (b) 2 s server latency on every request (sandbox `slow` fault);
 * (c) two workflows executing at once in ONE n8n process on the same project (execute-batch
 * --concurrency=2), 80 requests in total. Each (client, scenario) gets its own sandbox, so the
 * sandbox's records are exactly that run's requests. Runs are grouped into n8n processes:
 * [ours a, ours b, peer a, peer b] one after another; [ours c ×2]; [peer c ×2]; [peer+retry c ×2].
 *
 * Time = first request's arrival at the sandbox → last response sent by the sandbox (the
 * sandbox's own clock; n8n's start-up is not included). Ideal = (N−1)/2 s, the least time N
 * requests can span at 2 per second; with latency the best possible is (N−1)/2 + latency.
 *
 * Runs n8n the way test/e2e/runE2e.ts does (user folder, env, package installed from its tarball, imports,
 * execute-batch), with the helpers of test/e2e/n8nProcess.ts.
 *
 * Run alone: npx ts-node --transpile-only bench/atLimit.bench.ts (needs `npm run build` and
 * `bash test/e2e/install-n8n.sh`). Env: N8N_BIN, KEEP_BENCH=1 (keep the work folder),
 * BENCH_PEER_RETRY=0 (skip the Retry On Fail row), BENCH_RESULTS=<file> (JSON for bench/run.ts).
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

import { CHARTS } from '../sandbox/data';
import { startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';
import { freePort, installPackage, killN8n, N8N_BIN, n8nEnvironment, packPackage, runningN8n, tail } from '../test/e2e/n8nProcess';
import { n8nStepRunner, type N8nStepTime } from './n8nSteps';

const REPO = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-growingio';
const KEEP = process.env.KEEP_BENCH === '1';
const PEER_RETRY = process.env.BENCH_PEER_RETRY !== '0';
const STEP_TIMEOUT_MS = 300_000;

export const N = 40;
export const LATENCY_MS = 2000;
const BATCH_INTERVAL_MS = 500;
const RETRY = { maxTries: 3, waitBetweenTries: 1000 };
/** Every sandbox chart is an event-analysis chart (resourceType chart). */
const CHART_IDS = CHARTS.filter((chart) => chart.resourceType === 'chart').map((chart) => chart.id);

export type ScenarioKey = 'a' | 'b' | 'c';
export type ClientKey = 'ours' | 'peer' | 'peerRetry';

export const SCENARIOS: Record<ScenarioKey, { label: string; latencyMs: number; workflows: number }> = {
	a: { label: '(a) plain', latencyMs: 0, workflows: 1 },
	b: { label: `(b) ${LATENCY_MS / 1000} s latency`, latencyMs: LATENCY_MS, workflows: 1 },
	c: { label: '(c) 2 workflows at once', latencyMs: 0, workflows: 2 },
};

export const CLIENTS: Record<ClientKey, string> = {
	ours: 'GrowingIO node',
	peer: 'HTTP Request node, batch 1 / 500 ms, Retry On Fail off',
	peerRetry: `HTTP Request node, batch 1 / 500 ms, Retry On Fail ${RETRY.maxTries} tries / ${RETRY.waitBetweenTries} ms`,
};

export interface AtLimitRow {
	scenario: ScenarioKey;
	client: ClientKey;
	/** Reports asked for: N per workflow. */
	reports: number;
	latencyMs: number;
	requests: number;
	ok: number;
	tooMany: number;
	otherErrors: number;
	/** First arrival → last response, seconds. */
	seconds: number;
	/** First arrival → last arrival, seconds. */
	arrivalSeconds: number;
	ideal: number;
	ratio: number;
	/** Only with latency: time ÷ ((N−1)/2 + latency). */
	ratioAchievable?: number;
	maxInAnyWindow: number;
	/** Smallest time between request i and request i+2 (must be > 1000 ms for no 429). */
	minSpanOfThreeMs: number;
	medianSpanOfThreeMs: number;
	meanGapMs: number;
	/** Workflows that n8n reported as succeeded, of those run. */
	workflowsSucceeded: number;
	workflows: number;
	/** Input items (of reports) whose client node produced output. */
	delivered: number;
	/** n8n's error for failed workflows, shortened. */
	errors: string[];
	/** Query strings of the 200 answers, to compare clients. */
	queries: string[];
}

export interface AtLimitResults {
	n8nVersion: string;
	rows: AtLimitRow[];
	n8nSteps: N8nStepTime[];
	sameQueries: boolean;
	seconds: number;
}

type Json = Record<string, unknown>;



// ---------------------------------------------------------------------------------------------
// Sandboxes and what they saw.

interface Run {
	scenario: ScenarioKey;
	client: ClientKey;
	sandbox: Sandbox;
	/** When the sandbox wrote each answer's headers (performance.timeOrigin-based ms, like arrivedAt). */
	answeredAt: WeakMap<RecordedRequest, number>;
	credentialId: string;
	workflowIds: string[];
}

/**
 * A sandbox records arrival times only; the moment it answers is when it sets `record.status`
 * (just before writing the headers). Wrapping `status` in an accessor on each record as it is
 * pushed gives that moment without touching the sandbox. The OpenPanel bench uses it too.
 */
export function trackAnswers<R extends { status: number }>(requests: R[]): WeakMap<R, number> {
	const answeredAt = new WeakMap<R, number>();
	const push = requests.push.bind(requests);
	requests.push = (...records: R[]): number => {
		for (const record of records) {
			let status = record.status;
			Object.defineProperty(record, 'status', {
				configurable: true,
				enumerable: true,
				get: () => status,
				set: (value: number) => {
					status = value;
					answeredAt.set(record, performance.timeOrigin + performance.now());
				},
			});
		}
		return push(...records);
	};
	return answeredAt;
}

/** What the Code node emits: chart ids round-robin, and the last 7 complete days in Beijing time (= the node's "Last 7 Days"). */
function codeNodeJs(): string {
	return [
		`const charts = ${JSON.stringify(CHART_IDS)};`,
		'const DAY = 86400000;',
		'const BEIJING = 8 * 3600000;',
		'const today = Math.floor((Date.now() + BEIJING) / DAY) * DAY - BEIJING;',
		'const startTime = today - 7 * DAY;',
		'const endTime = today - 1;',
		`return Array.from({ length: ${N} }, (_, index) => ({ json: { index, chartId: charts[index % charts.length], startTime, endTime } }));`,
	].join('\n');
}

const HEADER_CREDENTIAL = { id: 'bench-header-1', name: 'GrowingIO token as header' };

function workflowFor(run: Run, id: string): Json {
	const trigger = { id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const code = { id: randomUUID(), name: `Make ${N} Items`, type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: codeNodeJs() } };
	let client: Json;
	if (run.client === 'ours') {
		client = {
			id: randomUUID(),
			name: 'Client',
			type: `${PACKAGE_NAME}.growingIo`,
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'chart',
				operation: 'getData',
				chartId: { __rl: true, mode: 'id', value: '={{ $json.chartId }}' },
				timeRange: 'last7Days',
				interval: 'day',
				simplify: true,
				options: {},
			},
			credentials: { growingIoApi: { id: run.credentialId, name: run.credentialId } },
		};
	} else {
		client = {
			id: randomUUID(),
			name: 'Client',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.4,
			position: [440, 0],
			parameters: {
				method: 'GET',
				url: `=${run.sandbox.url}/v2/projects/${run.sandbox.project.uid}/charts/{{ $json.chartId }}.json`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendQuery: true,
				queryParameters: {
					parameters: [
						{ name: 'startTime', value: '={{ $json.startTime }}' },
						{ name: 'endTime', value: '={{ $json.endTime }}' },
						{ name: 'interval', value: '86400000' },
					],
				},
				options: { batching: { batch: { batchSize: 1, batchInterval: BATCH_INTERVAL_MS } } },
			},
			credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
			...(run.client === 'peerRetry' ? { retryOnFail: true, ...RETRY } : {}),
		};
	}
	return {
		id,
		name: `bench ${run.client} ${run.scenario} ${id}`,
		active: false,
		nodes: [trigger, code, client],
		connections: {
			Start: { main: [[{ node: code.name, type: 'main', index: 0 }]] },
			[code.name]: { main: [[{ node: 'Client', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', timezone: 'Asia/Shanghai' },
		pinData: {},
	};
}

interface SnapshotItem {
	json: Json;
	pairedItem?: { item: number } | Array<{ item: number }> | number;
}

function clientOutput(snapshot: Json | undefined): SnapshotItem[] {
	const data = snapshot?.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: SnapshotItem[][] } }>> } } | undefined;
	const runs = data?.resultData?.runData?.Client ?? [];
	return runs[runs.length - 1]?.data?.main?.[0] ?? [];
}

function pairedIndexes(item: SnapshotItem): number[] {
	const paired = item.pairedItem;
	if (paired === undefined) return [];
	if (typeof paired === 'number') return [paired];
	return (Array.isArray(paired) ? paired : [paired]).map((p) => p.item);
}

function analyse(run: Run, summary: Json | undefined, snapshotDir: string): AtLimitRow {
	const scenario = SCENARIOS[run.scenario];
	const reports = N * scenario.workflows;
	const api = run.sandbox.requests.filter((r) => r.countsTowardLimit);
	const arrivals = api.map((r) => r.arrivedAt).sort((a, b) => a - b);
	const answers = api.map((r) => run.answeredAt.get(r) ?? r.arrivedAt);
	const first = arrivals[0] ?? 0;
	const lastAnswer = Math.max(first, ...answers);
	const seconds = (lastAnswer - first) / 1000;
	const ideal = (reports - 1) / 2;
	const spans = arrivals.slice(2).map((t, i) => t - arrivals[i]).sort((x, y) => x - y);
	const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);

	const executions = ((summary?.executions as Json[] | undefined) ?? []).filter((e) => run.workflowIds.includes(String(e.workflowId)));
	const errors: string[] = [];
	let delivered = 0;
	let succeeded = 0;
	for (const id of run.workflowIds) {
		const execution = executions.find((e) => e.workflowId === id);
		const status = String(execution?.executionStatus ?? 'missing');
		if (status === 'success') succeeded++;
		else errors.push(`${id}: ${status}${execution?.error ? ` — ${String(execution.error).split('\n')[0].slice(0, 160)}` : ''}`);
		const file = path.join(snapshotDir, `${id}-snapshot.json`);
		if (status !== 'success' || !fs.existsSync(file)) continue;
		const items = clientOutput(JSON.parse(fs.readFileSync(file, 'utf8')) as Json);
		delivered += new Set(items.flatMap(pairedIndexes)).size;
	}
	return {
		scenario: run.scenario,
		client: run.client,
		reports,
		latencyMs: scenario.latencyMs,
		requests: api.length,
		ok: api.filter((r) => r.status === 200).length,
		tooMany: api.filter((r) => r.status === 429).length,
		otherErrors: api.filter((r) => r.status !== 200 && r.status !== 429).length,
		seconds,
		arrivalSeconds: ((arrivals[arrivals.length - 1] ?? first) - first) / 1000,
		ideal,
		ratio: seconds / ideal,
		ratioAchievable: scenario.latencyMs ? seconds / (ideal + scenario.latencyMs / 1000) : undefined,
		maxInAnyWindow: run.sandbox.maxRequestsInAnyWindow(1000),
		minSpanOfThreeMs: spans.length ? spans[0] : NaN,
		medianSpanOfThreeMs: spans.length ? spans[Math.floor(spans.length / 2)] : NaN,
		meanGapMs: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : NaN,
		workflowsSucceeded: succeeded,
		workflows: run.workflowIds.length,
		delivered,
		errors,
		queries: api
			.filter((r) => r.status === 200)
			.map((r) => `${r.path.split('/').pop()}?${new URLSearchParams(r.query).toString()}`)
			.sort(),
	};
}

// ---------------------------------------------------------------------------------------------

function fmt(value: number | undefined, digits = 2): string {
	return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

export function describeRow(row: AtLimitRow): string {
	const achievable = row.ratioAchievable !== undefined ? `, ÷ ((N−1)/2 + ${row.latencyMs / 1000} s) = ${fmt(row.ratioAchievable, 3)}` : '';
	return (
		`${SCENARIOS[row.scenario].label.padEnd(24)} ${CLIENTS[row.client]}: ` +
		`${row.requests} requests (${row.ok} ok, ${row.tooMany} × 429, ${row.otherErrors} other), ` +
		`time ${fmt(row.seconds)} s ÷ ${row.ideal} s = ${fmt(row.ratio, 3)}${achievable}; ` +
		`max ${row.maxInAnyWindow} in any 1 s, request i → i+2 min ${fmt(row.minSpanOfThreeMs, 0)} ms / median ${fmt(row.medianSpanOfThreeMs, 0)} ms, mean gap ${fmt(row.meanGapMs, 0)} ms; ` +
		`n8n: ${row.workflowsSucceeded}/${row.workflows} workflows succeeded, ${row.delivered}/${row.reports} reports delivered` +
		(row.errors.length ? `\n${' '.repeat(25)}n8n errors: ${row.errors.join(' | ')}` : '')
	);
}

export async function runAtLimitBench(): Promise<AtLimitResults> {
	const began = Date.now();
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed at ${N8N_BIN}; run bash test/e2e/install-n8n.sh`);
	const n8nVersion = String((JSON.parse(fs.readFileSync(path.join(path.dirname(N8N_BIN), '../n8n/package.json'), 'utf8')) as Json).version);
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing; run npm run build first`);
	}

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'growingio-atlimit-'));
	const userFolder = path.join(work, 'user');
	const logDir = path.join(work, 'logs');
	const workflowDir = path.join(work, 'workflows');
	for (const dir of [logDir, workflowDir]) fs.mkdirSync(dir, { recursive: true });
	// Installed from its tarball as n8n installs it: one compiled limiter module that the node
	// and the credential files both load, on n8n's own n8n-workflow.
	installPackage(userFolder, packPackage(REPO, work));

	const onSignal = (signal: NodeJS.Signals) => {
		const child = runningN8n();
		if (child) killN8n(child);
		console.error(`atLimit: got ${signal}, stopping`);
		if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const runs: Run[] = [];
	try {
		// One sandbox per (client, scenario): its records are that run's requests only.
		const plan: Array<[ClientKey, ScenarioKey]> = [
			['ours', 'a'],
			['ours', 'b'],
			['peer', 'a'],
			['peer', 'b'],
			['ours', 'c'],
			['peer', 'c'],
			...(PEER_RETRY ? ([['peerRetry', 'c']] as Array<[ClientKey, ScenarioKey]>) : []),
		];
		for (const [client, scenario] of plan) {
			const sandbox = await startSandbox({ port: 0, quiet: true });
			const answeredAt = trackAnswers(sandbox.requests);
			if (SCENARIOS[scenario].latencyMs) sandbox.injectFault({ kind: 'slow', delayMs: SCENARIOS[scenario].latencyMs, times: Infinity });
			const short = { ours: 'Ours', peer: 'Peer', peerRetry: 'Retry' }[client];
			const workflowIds = Array.from({ length: SCENARIOS[scenario].workflows }, (_, i) => `bench${short}${scenario.toUpperCase()}${i + 1}`);
			runs.push({ scenario, client, sandbox, answeredAt, credentialId: `bench-gio-${client}-${scenario}`, workflowIds });
		}

		const credentials: Json[] = runs
			.filter((run) => run.client === 'ours')
			.map((run) => ({
				id: run.credentialId,
				name: run.credentialId,
				type: 'growingIoApi',
				data: {
					authentication: 'apiToken',
					apiToken: run.sandbox.apiToken,
					projectUid: run.sandbox.project.uid,
					projectId: run.sandbox.project.ai,
					baseUrl: run.sandbox.url,
					sessionToken: '',
				},
			}));
		// GrowingIO style: the bare token in Authorization (every sandbox accepts the same default token).
		credentials.push({ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: runs[0].sandbox.apiToken } });
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
		for (const run of runs) {
			for (const id of run.workflowIds) fs.writeFileSync(path.join(workflowDir, `${id}.json`), JSON.stringify(workflowFor(run, id), null, 2));
		}

		const env = n8nEnvironment(userFolder, await freePort());
		const { steps, step } = n8nStepRunner('atLimit', env, work, logDir, STEP_TIMEOUT_MS);
		console.log(`atLimit: n8n ${n8nVersion} (${N8N_BIN}); ${runs.length} sandboxes; work folder ${work}${KEEP ? ' (kept)' : ''}`);
		await step('import-credentials', ['import:credentials', `--input=${credentialsFile}`], true);
		await step('import-workflows', ['import:workflow', '--separate', `--input=${workflowDir}`], true);

		const batches: Array<{ name: string; runs: Run[]; concurrency: number }> = [
			{ name: 'batch-ab', runs: runs.filter((r) => r.scenario !== 'c'), concurrency: 1 },
			...runs.filter((r) => r.scenario === 'c').map((r) => ({ name: `batch-c-${r.client}`, runs: [r], concurrency: 2 })),
		];
		const rows: AtLimitRow[] = [];
		for (const batch of batches) {
			const snapshotDir = path.join(work, `snapshots-${batch.name}`);
			fs.mkdirSync(snapshotDir);
			const summaryFile = path.join(work, `summary-${batch.name}.json`);
			const ids = batch.runs.flatMap((r) => r.workflowIds);
			await step(batch.name, ['execute-batch', `--ids=${ids.join(',')}`, `--concurrency=${batch.concurrency}`, `--snapshot=${snapshotDir}`, `--output=${summaryFile}`, '--retries=0'], false);
			const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Json) : undefined;
			if (!summary) console.log(`atLimit: ${batch.name} wrote no summary\n${tail(path.join(logDir, `${batch.name}.stdout.log`))}\n${tail(path.join(logDir, `${batch.name}.stderr.log`))}`);
			for (const run of batch.runs) {
				const row = analyse(run, summary, snapshotDir);
				rows.push(row);
				console.log(`atLimit: ${describeRow(row)}`);
			}
		}

		// Both clients asked for the same reports: compare the query strings of plain runs.
		const queries = (client: ClientKey) => rows.find((r) => r.client === client && r.scenario === 'a')?.queries ?? [];
		const sameQueries = queries('ours').length === N && JSON.stringify(queries('ours')) === JSON.stringify(queries('peer'));
		console.log(`atLimit: GrowingIO node and HTTP Request node sent the same ${N} chart requests in (a): ${sameQueries ? 'yes' : `NO\n  ours: ${queries('ours').slice(0, 3).join(' ')}\n  peer: ${queries('peer').slice(0, 3).join(' ')}`}`);
		const results: AtLimitResults = { n8nVersion, rows, n8nSteps: steps, sameQueries, seconds: (Date.now() - began) / 1000 };
		console.log(`atLimit: total ${results.seconds.toFixed(1)} s`);
		return results;
	} finally {
		for (const run of runs) await run.sandbox.close();
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
		if (KEEP) console.log(`atLimit: kept ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	runAtLimitBench()
		.then((results) => {
			if (process.env.BENCH_RESULTS) fs.writeFileSync(process.env.BENCH_RESULTS, JSON.stringify(results, null, 2));
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
