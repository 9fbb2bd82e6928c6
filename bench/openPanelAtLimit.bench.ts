/**
 * "At the limit" bench for OpenPanel: N = 300 chart requests through a REAL n8n 2.8.4
 * (`n8n execute-batch`, n8n-nodes-openpanel installed from its tarball) against the OpenPanel
 * imitation, which allows 100 requests per client in any 10 s (sliding window) and answers 429
 * to the 101st.
 *
 * Workflow: Manual Trigger → Code (300 items) → OpenPanel node, Chart → Get Data, sign_up
 * events yesterday, Interval Day (one request per item, up to 4 items in flight).
 *
 * Ideal = the fastest the window allows for N starts: 100 may start at once, the next 100 a
 * window later, so the 300th start comes (⌈N / 100⌉ − 1) × 10 s = 20 s after the first. Time is
 * taken on the imitation's clock, from the first request's arrival to the Nth's; the at-limit
 * ratio is time ÷ ideal, as GrowingIO's rows (1 is the window's best; below 1 is impossible without a 429). The 429
 * count and the busiest 10 s window come from the imitation's own arrival record.
 *
 * Run alone: npx ts-node --transpile-only bench/openPanelAtLimit.bench.ts (needs `npm run build`
 * and `bash test/e2e/install-n8n.sh`). Env: N8N_BIN, KEEP_BENCH=1 (keep the work folder),
 * BENCH_RESULTS=<file> (JSON for bench/run.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startOpenPanelSandbox } from '../packages/n8n-nodes-openpanel/test/openpanel-sandbox/server';
import { freePort, installPackage, killN8n, N8N_BIN, n8nEnvironment, packPackage, runningN8n, tail } from '../test/e2e/n8nProcess';
import { trackAnswers } from './atLimit.bench';
import { n8nStepRunner, type N8nStepTime } from './n8nSteps';

const REPO = path.resolve(__dirname, '..');
const PACKAGE_DIR = path.join(REPO, 'packages', 'n8n-nodes-openpanel');
const KEEP = process.env.KEEP_BENCH === '1';
const STEP_TIMEOUT_MS = 300_000;

export const OPENPANEL_N = 300;
export const OPENPANEL_LIMIT = 100;
export const OPENPANEL_WINDOW_MS = 10_000;
const WORKFLOW_ID = 'benchOpenPanel1';
const CREDENTIAL = { id: 'bench-openpanel-1', name: 'OpenPanel read client' };

export interface OpenPanelAtLimitResults {
	n8nVersion: string;
	/** Items sent into the OpenPanel node (one chart request each). */
	reports: number;
	requests: number;
	ok: number;
	tooMany: number;
	otherErrors: number;
	/** First arrival → arrival of the Nth accepted request, seconds. */
	startSeconds: number;
	/** First arrival → last response sent, seconds. */
	seconds: number;
	/** The fastest the window allows for N starts, seconds. */
	ideal: number;
	/** startSeconds ÷ ideal. */
	ratio: number;
	/** Most requests that arrived in any one window, by the imitation's record. */
	maxInAnyWindow: number;
	/** Shortest time between request i and request i + limit (must be ≥ the window for no 429). */
	minSpanOfWindowMs: number;
	workflowSucceeded: boolean;
	/** Input items whose chart came back. */
	delivered: number;
	error?: string;
	n8nSteps: N8nStepTime[];
	totalSeconds: number;
}

/** Makes N items; the OpenPanel node then asks for one chart per item. */
const CODE = `return Array.from({ length: ${OPENPANEL_N} }, (_, index) => ({ json: { index } }));`;

function workflow(): Record<string, unknown> {
	return {
		id: WORKFLOW_ID,
		name: `bench OpenPanel ${OPENPANEL_N} charts`,
		active: false,
		nodes: [
			{ id: 'bench-op-0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'bench-op-1', name: `Make ${OPENPANEL_N} Items`, type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: CODE } },
			{
				id: 'bench-op-2',
				name: 'Client',
				type: 'n8n-nodes-openpanel.openPanel',
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'chart', operation: 'getData', series: { serie: [{ event: 'sign_up', segment: 'event' }] }, interval: 'day', range: 'yesterday', simplify: true },
				credentials: { openPanelApi: CREDENTIAL },
			},
		],
		connections: {
			Start: { main: [[{ node: `Make ${OPENPANEL_N} Items`, type: 'main', index: 0 }]] },
			[`Make ${OPENPANEL_N} Items`]: { main: [[{ node: 'Client', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function delivered(snapshotFile: string): number {
	if (!fs.existsSync(snapshotFile)) return 0;
	const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as { data?: { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ pairedItem?: { item: number } }>> } }>> } } };
	const items = snapshot.data?.resultData?.runData?.Client?.[0]?.data?.main?.[0] ?? [];
	return new Set(items.map((item) => item.pairedItem?.item)).size;
}

export function describeOpenPanelRow(r: OpenPanelAtLimitResults): string {
	return (
		`${r.requests} requests for ${r.reports} charts (${r.ok} ok, ${r.tooMany} × 429, ${r.otherErrors} other); ` +
		`first → ${r.reports}th start ${r.startSeconds.toFixed(2)} s, ideal ${r.ideal} s: ratio time ÷ ideal = ${r.ratio.toFixed(3)}; first start → last answer ${r.seconds.toFixed(2)} s; ` +
		`busiest ${OPENPANEL_WINDOW_MS / 1000} s window ${r.maxInAnyWindow}/${OPENPANEL_LIMIT}, request i → i+${OPENPANEL_LIMIT} min ${r.minSpanOfWindowMs.toFixed(0)} ms; ` +
		`n8n: workflow ${r.workflowSucceeded ? 'succeeded' : `failed${r.error ? ` (${r.error})` : ''}`}, ${r.delivered}/${r.reports} charts delivered`
	);
}

export async function runOpenPanelAtLimitBench(): Promise<OpenPanelAtLimitResults> {
	const began = Date.now();
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed at ${N8N_BIN}; run bash test/e2e/install-n8n.sh`);
	const n8nVersion = String((JSON.parse(fs.readFileSync(path.join(path.dirname(N8N_BIN), '../n8n/package.json'), 'utf8')) as { version: string }).version);
	const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!fs.existsSync(path.join(PACKAGE_DIR, file))) throw new Error(`packages/n8n-nodes-openpanel/${file} is missing; run npm run build first`);
	}

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'openpanel-atlimit-'));
	const userFolder = path.join(work, 'user');
	const logDir = path.join(work, 'logs');
	const workflowDir = path.join(work, 'workflows');
	const snapshotDir = path.join(work, 'snapshots');
	for (const dir of [logDir, workflowDir, snapshotDir]) fs.mkdirSync(dir, { recursive: true });
	installPackage(userFolder, packPackage(PACKAGE_DIR, work));

	const onSignal = (signal: NodeJS.Signals) => {
		const child = runningN8n();
		if (child) killN8n(child);
		console.error(`openPanel: got ${signal}, stopping`);
		if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const sandbox = await startOpenPanelSandbox({ port: 0, rateLimit: OPENPANEL_LIMIT, rateWindowMs: OPENPANEL_WINDOW_MS });
	const answeredAt = trackAnswers(sandbox.requests);
	try {
		const client = sandbox.clients.read;
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify([{ ...CREDENTIAL, type: 'openPanelApi', data: { baseUrl: sandbox.url, clientId: client.id, clientSecret: client.secret, projectId: '' } }], null, 2));
		fs.writeFileSync(path.join(workflowDir, `${WORKFLOW_ID}.json`), JSON.stringify(workflow(), null, 2));

		const env = n8nEnvironment(userFolder, await freePort());
		const { steps: n8nSteps, step } = n8nStepRunner('openPanel', env, work, logDir, STEP_TIMEOUT_MS);
		console.log(`openPanel: n8n ${n8nVersion} (${N8N_BIN}); imitation on ${sandbox.url}; work folder ${work}${KEEP ? ' (kept)' : ''}`);
		await step('import-credentials', ['import:credentials', `--input=${credentialsFile}`], true);
		await step('import-workflows', ['import:workflow', '--separate', `--input=${workflowDir}`], true);
		const summaryFile = path.join(work, 'summary.json');
		await step('execute-batch', ['execute-batch', `--ids=${WORKFLOW_ID}`, `--snapshot=${snapshotDir}`, `--output=${summaryFile}`, '--retries=0'], false);

		const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { executions?: Array<{ workflowId?: string; executionStatus?: string; error?: string }> }) : undefined;
		const execution = summary?.executions?.find((e) => e.workflowId === WORKFLOW_ID);
		if (!summary) console.log(`openPanel: execute-batch wrote no summary\n${tail(path.join(logDir, 'execute-batch.stdout.log'))}\n${tail(path.join(logDir, 'execute-batch.stderr.log'))}`);

		const requests = sandbox.requests.filter((r) => r.clientId === client.id);
		const arrivals = requests.map((r) => r.arrivedAt).sort((a, b) => a - b);
		const first = arrivals[0] ?? 0;
		// The Nth request OpenPanel accepted (a refused one is retried and arrives again).
		const accepted = requests.filter((r) => r.status === 200).map((r) => r.arrivedAt).sort((a, b) => a - b);
		const nth = accepted[Math.min(OPENPANEL_N, accepted.length) - 1] ?? first;
		const lastAnswer = Math.max(first, ...requests.map((r) => answeredAt.get(r) ?? r.arrivedAt));
		const spans = arrivals.slice(OPENPANEL_LIMIT).map((t, i) => t - arrivals[i]);
		const ideal = ((Math.ceil(OPENPANEL_N / OPENPANEL_LIMIT) - 1) * OPENPANEL_WINDOW_MS) / 1000;
		const startSeconds = (nth - first) / 1000;
		const results: OpenPanelAtLimitResults = {
			n8nVersion,
			reports: OPENPANEL_N,
			requests: requests.length,
			ok: requests.filter((r) => r.status === 200).length,
			tooMany: requests.filter((r) => r.status === 429).length,
			otherErrors: requests.filter((r) => r.status !== 200 && r.status !== 429).length,
			startSeconds,
			seconds: (lastAnswer - first) / 1000,
			ideal,
			ratio: ideal > 0 ? startSeconds / ideal : NaN,
			maxInAnyWindow: sandbox.maxRequestsInWindow(client.id),
			minSpanOfWindowMs: spans.length ? Math.min(...spans) : NaN,
			workflowSucceeded: execution?.executionStatus === 'success',
			delivered: delivered(path.join(snapshotDir, `${WORKFLOW_ID}-snapshot.json`)),
			error: execution?.error ? String(execution.error).split('\n')[0].slice(0, 160) : undefined,
			n8nSteps,
			totalSeconds: (Date.now() - began) / 1000,
		};
		console.log(`openPanel: ${describeOpenPanelRow(results)}`);
		console.log(`openPanel: total ${results.totalSeconds.toFixed(1)} s`);
		return results;
	} finally {
		await sandbox.close();
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
		if (KEEP) console.log(`openPanel: kept ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	runOpenPanelAtLimitBench()
		.then((results) => {
			if (process.env.BENCH_RESULTS) fs.writeFileSync(process.env.BENCH_RESULTS, JSON.stringify(results, null, 2));
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
