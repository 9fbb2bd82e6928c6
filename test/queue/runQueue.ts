/**
 * The rate limit in n8n queue mode, with real parts: Redis and PostgreSQL (Debian packages,
 * install-services.sh), one n8n 2.8.4 main in queue mode and 3 `n8n worker`s (concurrency 1, so
 * three executions run on three workers), the packages installed from their `npm pack` tarballs
 * into one .n8n/nodes that every process loads, and the strict sandboxes in this process.
 *
 * Per service (GrowingIO: 2 requests per 1000 ms per project; OpenPanel: 100 per 10 s per
 * client) and per scenario (the node's default, K = 1, and Workers Sharing This Project = 3),
 * 3 workflows of 40 reports each are published, their production webhooks fired at once, and
 * the main enqueues them to the workers. Checked: every execution succeeded, ran on its own
 * worker, and delivered each of its 40 reports to the collector exactly once; with K = 3 on
 * OpenPanel (33 per 10 s per worker, 99 in all) not one 429. Printed as bench rows: requests,
 * 429s, span from the first to the last report request at the sandbox, span ÷ ideal, busiest
 * window, which worker ran which execution. A build without the Workers Sharing option runs the
 * K = 3 workflows as K = 1 (n8n keeps the unknown option; the node ignores it) and says so.
 *
 * Run through `npm run test:queue` (installs n8n 2.8.4 and the services, builds, then this).
 * Env: N8N_BIN (default .cache/n8n-2.8.4/node_modules/.bin/n8n), KEEP_QUEUE=1 keeps the work
 * folder (logs of every process, the servers' data), E2E_LABEL (default queue),
 * QUEUE_SCENARIOS=growingio-k1,openpanel-k3 runs only those (default all four).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { CHARTS } from '../../sandbox/data';
import { startSandbox } from '../../sandbox/server';
import { startOpenPanelSandbox } from '../../packages/n8n-nodes-openpanel/test/openpanel-sandbox/server';
import { allChecksPassed, check, runChecked } from '../e2e/checks';
import type { CredentialEntry, Json, WorkflowFile } from '../e2e/extraPackages';
import { freePort, installPackage, killN8n, N8N_BIN, N8N_VERSION, n8nEnvironment, packPackage, runN8n, spawnN8n, tail } from '../e2e/n8nProcess';
import { startCollector, type Collector } from './collector';
import { startPostgres, startRedis, type Postgres, type Service } from './services';
import { queueWorkflow, type ReportRequest } from './workflows';

const REPO = path.resolve(__dirname, '../..');
const KEEP = process.env.KEEP_QUEUE === '1';
const LABEL = process.env.E2E_LABEL || 'queue';
const WORKERS = 3;
const WORKFLOWS = 3;
const REPORTS = 40;
const STEP_TIMEOUT_MS = 180_000;
const SCENARIO_TIMEOUT_MS = 400_000;
/** The option of each node that divides its budget among the workers sharing it. */
const SHARING_OPTION = 'workersSharingBudget';
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const ONLY = process.env.QUEUE_SCENARIOS ? new Set(process.env.QUEUE_SCENARIOS.split(',').map((name) => name.trim())) : undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One request as the figures need it, from either sandbox's record. */
interface SeenRequest {
	arrivedAt: number;
	status: number;
	/** A report request of the node (not a login, not a download). */
	report: boolean;
}

interface RunningSandbox {
	credential: CredentialEntry;
	requests(): SeenRequest[];
	/** The most requests the sandbox counted in any one of its rate windows. */
	busiestWindow(): number;
	close(): Promise<void>;
}

/** A service under test: its package, its sandbox, its node's parameters and its limit. */
interface ServiceSpec {
	key: 'growingio' | 'openpanel';
	title: string;
	packageName: string;
	packageDir: string;
	nodeType: string;
	credentialType: string;
	limit: number;
	windowMs: number;
	/** The least time N requests can span at this limit, and how that is written. */
	ideal(n: number): number;
	idealText: string;
	reports(): ReportRequest[];
	parameters(options: Json): Json;
	start(credentialId: string): Promise<RunningSandbox>;
}

const GROWINGIO_CHARTS = CHARTS.filter((chart) => chart.resourceType === 'chart').map((chart) => chart.id);
const OPENPANEL_EVENTS = ['session_start', 'screen_view', 'sign_up', 'add_to_cart', 'checkout', 'purchase'];

const SERVICES: ServiceSpec[] = [
	{
		key: 'growingio',
		title: 'GrowingIO',
		packageName: 'n8n-nodes-growingio',
		packageDir: REPO,
		nodeType: 'n8n-nodes-growingio.growingIo',
		credentialType: 'growingIoApi',
		limit: 2,
		windowMs: 1000,
		ideal: (n) => (n - 1) / 2,
		idealText: '(N−1)/2',
		reports: () => Array.from({ length: REPORTS }, (_, index) => ({ index, chartId: GROWINGIO_CHARTS[index % GROWINGIO_CHARTS.length] })),
		parameters: (options) => ({
			resource: 'chart',
			operation: 'getData',
			chartId: { __rl: true, mode: 'id', value: '={{ $json.chartId }}' },
			timeRange: 'last7Days',
			interval: 'day',
			// One item per report (its raw answer), so one delivery per report.
			simplify: false,
			options,
		}),
		start: async (credentialId) => {
			const sandbox = await startSandbox({ port: 0, quiet: true });
			return {
				credential: {
					id: credentialId,
					name: credentialId,
					type: 'growingIoApi',
					data: { authentication: 'apiToken', apiToken: sandbox.apiToken, projectUid: sandbox.project.uid, projectId: sandbox.project.ai, baseUrl: sandbox.url, sessionToken: '' },
				},
				requests: () => sandbox.requests.map((r) => ({ arrivedAt: r.arrivedAt, status: r.status, report: r.countsTowardLimit && r.path.includes('/charts/') })),
				busiestWindow: () => sandbox.maxRequestsInAnyWindow(1000),
				close: async () => await sandbox.close(),
			};
		},
	},
	{
		key: 'openpanel',
		title: 'OpenPanel',
		packageName: 'n8n-nodes-openpanel',
		packageDir: path.join(REPO, 'packages', 'n8n-nodes-openpanel'),
		nodeType: 'n8n-nodes-openpanel.openPanel',
		credentialType: 'openPanelApi',
		limit: 100,
		windowMs: 10_000,
		// 100 may leave at once, the next 100 a window later.
		ideal: (n) => Math.floor((n - 1) / 100) * 10,
		idealText: '⌊(N−1)/100⌋ × 10 s',
		reports: () => Array.from({ length: REPORTS }, (_, index) => ({ index, event: OPENPANEL_EVENTS[index % OPENPANEL_EVENTS.length] })),
		parameters: (options) => ({
			resource: 'chart',
			operation: 'getData',
			series: { serie: [{ event: '={{ $json.event }}', segment: 'event' }] },
			interval: 'day',
			range: '7d',
			simplify: false,
			options,
		}),
		start: async (credentialId) => {
			const sandbox = await startOpenPanelSandbox();
			const client = sandbox.clients.read;
			return {
				credential: {
					id: credentialId,
					name: credentialId,
					type: 'openPanelApi',
					data: { baseUrl: `${sandbox.url}/`, clientId: client.id, clientSecret: client.secret, projectId: '' },
				},
				requests: () =>
					sandbox.requests.filter((r) => r.clientId === client.id).map((r) => ({ arrivedAt: r.arrivedAt, status: r.status, report: r.path === '/export/charts' })),
				busiestWindow: () => sandbox.maxRequestsInWindow(client.id),
				close: async () => await sandbox.close(),
			};
		},
	},
];

interface Scenario {
	service: ServiceSpec;
	/** Workers Sharing This Project (… Client): 1 is the node's default and is left unset. */
	k: number;
	/** Whether this build's node has the option (without it, K = 3 runs as K = 1). */
	optionBuilt: boolean;
	sandbox: RunningSandbox;
	workflows: Array<{ id: string; webhookPath: string; workflow: WorkflowFile }>;
}

interface ScenarioResult {
	label: string;
	requests: number;
	/** Report requests the sandbox answered 200. */
	answered: number;
	tooMany: number;
	otherErrors: number;
	spanSeconds: number;
	ideal: number;
	ratio: number;
	busiest: number;
	delivered: number;
	duplicates: number;
	executions: Array<{ id: string; workflowId: string; status: string; worker?: string }>;
	wallSeconds: number;
}

/** Whether the built files under `dir` (nodes and the core they use) know the Workers Sharing option. */
function builtWithOption(dir: string): boolean {
	const walk = (folder: string): boolean =>
		fs.readdirSync(folder, { withFileTypes: true }).some((entry) => {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) return walk(full);
			return entry.name.endsWith('.js') && fs.readFileSync(full, 'utf8').includes(SHARING_OPTION);
		});
	return fs.existsSync(dir) && walk(dir);
}

/** A failed execution's error, from its run data in Postgres (stored in n8n's flatted form). */
function executionError(postgres: Postgres, executionId: string): string {
	try {
		// n8n's own copy of flatted, next to the n8n that wrote the data.
		const flatted = require(path.join(path.dirname(N8N_BIN), '..', 'flatted')) as { parse(text: string): unknown };
		const [[text] = []] = postgres.query(`SELECT data FROM execution_data WHERE "executionId" = ${Number(executionId)}`);
		const run = flatted.parse(text) as { resultData?: { error?: { message?: string; description?: string; node?: { name?: string } }; lastNodeExecuted?: string } };
		const error = run.resultData?.error;
		if (!error) return 'no error in its run data';
		return `${error.node?.name ?? run.resultData?.lastNodeExecuted ?? '?'}: ${error.message ?? ''}${error.description ? ` (${error.description})` : ''}`;
	} catch (error) {
		return `could not read its error: ${error instanceof Error ? error.message : String(error)}`;
	}
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The figures of one scenario, from the sandbox's record, Postgres, the collector and the worker logs. */
function measure(scenario: Scenario, collector: Collector, executions: ScenarioResult['executions'], wallMs: number): ScenarioResult {
	const { service } = scenario;
	const ids = new Set(scenario.workflows.map((w) => w.id));
	const seen = scenario.sandbox.requests();
	const reports = seen.filter((r) => r.report);
	const first = reports[0]?.arrivedAt ?? 0;
	const last = reports[reports.length - 1]?.arrivedAt ?? 0;
	const n = WORKFLOWS * REPORTS;
	const spanSeconds = (last - first) / 1000;
	const ideal = service.ideal(n);
	const deliveries = collector.deliveries.filter((d) => ids.has(d.workflowId));
	const keys = deliveries.map((d) => `${d.workflowId}#${d.index}`);
	return {
		label: `queue ${service.title} (${WORKERS} workers, ${WORKFLOWS}×${REPORTS} reports, K=${scenario.k}${scenario.k !== 1 && !scenario.optionBuilt ? ', option not in this build: ran as K=1' : ''})`,
		requests: reports.length,
		answered: reports.filter((r) => r.status === 200).length,
		tooMany: seen.filter((r) => r.status === 429).length,
		otherErrors: seen.filter((r) => r.status >= 400 && r.status !== 429).length,
		spanSeconds,
		ideal,
		ratio: ideal > 0 ? spanSeconds / ideal : NaN,
		busiest: scenario.sandbox.busiestWindow(),
		delivered: new Set(keys).size,
		duplicates: keys.length - new Set(keys).size,
		executions,
		wallSeconds: wallMs / 1000,
	};
}

/** Where 429s came from: arrivals per second, and the first refusals with what their window held. */
function timeline(seen: SeenRequest[], windowMs: number): string {
	if (!seen.length) return 'no requests';
	const first = seen[0].arrivedAt;
	const perSecond = new Map<number, { all: number; refused: number }>();
	for (const r of seen) {
		const second = Math.floor((r.arrivedAt - first) / 1000);
		const bucket = perSecond.get(second) ?? { all: 0, refused: 0 };
		bucket.all++;
		if (r.status === 429) bucket.refused++;
		perSecond.set(second, bucket);
	}
	const seconds = [...perSecond].map(([second, { all, refused }]) => `${second}s:${all}${refused ? `(${refused}×429)` : ''}`).join(' ');
	const refusals = seen
		.filter((r) => r.status === 429)
		.slice(0, 10)
		.map((r) => `+${Math.round(r.arrivedAt - first)} ms refused; ${seen.filter((o) => o.arrivedAt > r.arrivedAt - windowMs && o.arrivedAt <= r.arrivedAt).length} arrivals in the window ending there`);
	return `arrivals per second from the first: ${seconds}\n${refusals.join('\n')}`;
}

function benchRow(result: ScenarioResult, service: ServiceSpec): string {
	const workers = result.executions.map((e) => `#${e.id}→${e.worker ?? '?'}`).join(', ');
	const windowText = service.windowMs === 1000 ? '1 s' : `${service.windowMs / 1000} s`;
	return (
		`${result.label}: requests=${result.requests}, 429s=${result.tooMany}, delivered=${result.delivered}/${WORKFLOWS * REPORTS}` +
		`${result.duplicates ? ` (${result.duplicates} duplicates)` : ''}, failed=${result.executions.filter((e) => e.status !== 'success').length}, ` +
		`span=${result.spanSeconds.toFixed(2)} s, ratio=${result.ratio.toFixed(3)} (÷ ${service.idealText} = ${result.ideal} s), ` +
		`most in any ${windowText}=${result.busiest}/${service.limit}, workers: ${workers}`
	);
}

async function main(): Promise<number> {
	const startedAll = Date.now();
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed at ${N8N_BIN}; run npm run test:queue`);
	for (const service of SERVICES) {
		const manifest = readJson<{ name: string; n8n: { nodes: string[]; credentials: string[] } }>(path.join(service.packageDir, 'package.json'));
		if (manifest.name !== service.packageName) throw new Error(`${service.packageDir}: package name ${manifest.name}, expected ${service.packageName}`);
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			if (!fs.existsSync(path.join(service.packageDir, file))) throw new Error(`${service.packageName}: ${file} is missing; run npm run build first`);
		}
	}

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	const logDir = path.join(work, 'logs');
	fs.mkdirSync(logDir);
	const processes: Array<ReturnType<typeof spawnN8n>> = [];
	const services: Service[] = [];
	const sandboxes: RunningSandbox[] = [];
	let collector: Collector | undefined;
	const cleanUp = async () => {
		for (const running of processes) {
			killN8n(running.child);
			running.closeLogs();
		}
		processes.length = 0;
		for (const service of services) await service.close();
		services.length = 0;
		for (const sandbox of sandboxes) await sandbox.close();
		sandboxes.length = 0;
		await collector?.close();
		collector = undefined;
	};
	const onSignal = (signal: NodeJS.Signals) => {
		console.error(`${LABEL}: got ${signal}, stopping`);
		void cleanUp().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		// 1. The packages, packed and installed once into the .n8n/nodes every process loads.
		let stepStart = Date.now();
		const nodesHome = path.join(work, 'nodes-home');
		const tarballs = SERVICES.map((service) => packPackage(service.packageDir, work));
		installPackage(nodesHome, ...tarballs);
		const nodesDir = path.join(nodesHome, '.n8n', 'nodes');
		console.log(`${LABEL}: n8n ${N8N_VERSION}; packed and installed ${tarballs.map((t) => path.basename(t)).join(', ')}: ${seconds(Date.now() - stepStart)}`);

		// 2. Redis and PostgreSQL on loopback, data in the work folder.
		stepStart = Date.now();
		const redis = await startRedis(path.join(work, 'redis'));
		services.push(redis);
		const postgres: Postgres = await startPostgres(path.join(work, 'postgres'));
		services.push(postgres);
		console.log(`${LABEL}: redis on 127.0.0.1:${redis.port}, postgres on 127.0.0.1:${postgres.port} (initdb + start): ${seconds(Date.now() - stepStart)}`);

		// 3. Sandboxes (one per scenario: the limiters of the workers key on origin, so scenarios never share a budget) and workflows.
		const sink = await startCollector();
		collector = sink;
		const scenarios: Scenario[] = [];
		for (const service of SERVICES) {
			const optionBuilt = builtWithOption(path.join(service.packageDir, 'dist'));
			for (const k of [1, 3]) {
				const tag = `${service.key}-k${k}`;
				if (ONLY && !ONLY.has(tag)) continue;
				const sandbox = await service.start(`queue-cred-${tag}`);
				sandboxes.push(sandbox);
				const workflows = Array.from({ length: WORKFLOWS }, (_, index) => {
					const id = `queue-${tag}-wf${index + 1}`;
					const webhookPath = `queue-${tag}-${index + 1}`;
					const workflow = queueWorkflow({
						id,
						name: `Queue test: ${service.title} K=${k}, workflow ${index + 1}`,
						webhookPath,
						reports: service.reports(),
						service: {
							type: service.nodeType,
							parameters: service.parameters(k === 1 ? {} : { [SHARING_OPTION]: k }),
							credentials: { [service.credentialType]: { id: sandbox.credential.id, name: sandbox.credential.name } },
						},
						collectorUrl: sink.url,
					});
					return { id, webhookPath, workflow };
				});
				scenarios.push({ service, k, optionBuilt, sandbox, workflows });
			}
		}

		// 4. n8n: every process has its own user folder (n8n's crash journal and event log are per
		// folder) with the one .n8n/nodes linked in, the same database, Redis and encryption key.
		const base = n8nEnvironment(path.join(work, 'unused'), 0);
		const queueEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: 'trust-on-loopback',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		};
		const envFor = async (name: string, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> => {
			const userFolder = path.join(work, 'users', name);
			fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
			fs.symlinkSync(nodesDir, path.join(userFolder, '.n8n', 'nodes'), 'dir');
			return { ...base, ...queueEnv, N8N_USER_FOLDER: userFolder, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
		};

		stepStart = Date.now();
		const cliEnv = await envFor('cli');
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(sandboxes.map((s) => s.credential), null, 2));
		const workflowDir = path.join(work, 'workflows');
		fs.mkdirSync(workflowDir);
		const allWorkflows = scenarios.flatMap((s) => s.workflows);
		for (const { id, workflow } of allWorkflows) fs.writeFileSync(path.join(workflowDir, `${id}.json`), JSON.stringify(workflow, null, 2));
		for (const [step, args] of [
			['import-credentials', ['import:credentials', `--input=${credentialsFile}`]],
			['import-workflows', ['import:workflow', '--separate', `--input=${workflowDir}`]],
		] as const) {
			const result = await runN8n(step, [...args], cliEnv, work, logDir, STEP_TIMEOUT_MS);
			if (result.code !== 0) {
				check(`n8n ${args[0]} exits 0`, false, `exit ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
				return 1;
			}
		}
		console.log(`${LABEL}: imported ${sandboxes.length} credentials and ${allWorkflows.length} workflows into Postgres (first command runs the migrations): ${seconds(Date.now() - stepStart)}`);

		// Publishing is one CLI start per workflow: a few at a time, each in its own folder.
		stepStart = Date.now();
		const failedPublishes: string[] = [];
		for (let at = 0; at < allWorkflows.length; at += 4) {
			await Promise.all(
				allWorkflows.slice(at, at + 4).map(async ({ id }) => {
					const result = await runN8n(`publish-${id}`, ['publish:workflow', `--id=${id}`], await envFor(`publish-${id}`), work, logDir, STEP_TIMEOUT_MS);
					if (result.code !== 0) failedPublishes.push(`${id}: exit ${result.code}\n${tail(result.stderr, 10)}`);
				}),
			);
		}
		check(`publish:workflow for ${allWorkflows.length} workflows`, failedPublishes.length === 0, failedPublishes.join('\n') || undefined);
		if (failedPublishes.length) return 1;
		console.log(`${LABEL}: published ${allWorkflows.length} workflows: ${seconds(Date.now() - stepStart)}`);

		// 5. The main (webhooks, enqueues) and the workers (concurrency 1: one execution each at a time).
		stepStart = Date.now();
		const mainPort = await freePort();
		const main = spawnN8n('main', ['start'], await envFor('main', { N8N_PORT: String(mainPort) }), work, logDir);
		processes.push(main);
		const workers: Array<{ name: string; port: number; run: ReturnType<typeof spawnN8n> }> = [];
		for (let index = 1; index <= WORKERS; index++) {
			const name = `worker${index}`;
			const port = await freePort();
			const env = await envFor(name, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) });
			const run = spawnN8n(name, ['worker', '--concurrency=1'], env, work, logDir);
			processes.push(run);
			workers.push({ name, port, run });
		}
		const ready = async (url: string) => {
			try {
				return (await fetch(url)).status === 200;
			} catch {
				return false;
			}
		};
		const waitFor = async (what: string, test: () => Promise<boolean> | boolean, logs: string[], limitMs = 180_000) => {
			const started = Date.now();
			while (!(await test())) {
				const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
				if (dead || Date.now() - started > limitMs) {
					throw new Error(`${what}: ${dead ? `an n8n process exited (${dead.stdout})` : `not within ${limitMs / 1000} s`}\n${logs.map((log) => tail(log, 30)).join('\n')}`);
				}
				await sleep(250);
			}
		};
		await waitFor('main ready', () => ready(`http://127.0.0.1:${mainPort}/healthz/readiness`), [main.stdout, main.stderr]);
		await waitFor(
			'webhooks of every published workflow registered',
			() => Number(postgres.query('SELECT count(*) FROM webhook_entity')[0][0]) >= allWorkflows.length,
			[main.stdout],
		);
		for (const worker of workers) await waitFor(`${worker.name} ready`, () => ready(`http://127.0.0.1:${worker.port}/healthz/readiness`), [worker.run.stdout, worker.run.stderr]);
		console.log(`${LABEL}: main and ${WORKERS} workers ready, ${allWorkflows.length} webhooks registered: ${seconds(Date.now() - stepStart)}`);

		// 6. The scenarios, one after another.
		const rows: Array<{ result: ScenarioResult; scenario: Scenario }> = [];
		for (const scenario of scenarios) {
			const { service, k } = scenario;
			const title = `${service.title} K=${k}`;
			const fired = Date.now();
			const answers = await Promise.all(
				scenario.workflows.map(async ({ webhookPath }) => {
					const response = await fetch(`http://127.0.0.1:${mainPort}/webhook/${webhookPath}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
					return `${response.status} ${await response.text()}`;
				}),
			);
			check(`${title}: the 3 production webhooks answered at once (200)`, answers.every((a) => a.startsWith('200 ')), answers.join('\n'));
			const idList = scenario.workflows.map((w) => `'${w.id}'`).join(', ');
			const executionsOf = () =>
				postgres
					.query(`SELECT id, "workflowId", status FROM execution_entity WHERE "workflowId" IN (${idList}) ORDER BY id`)
					.map(([id, workflowId, status]) => ({ id, workflowId, status }));
			let executions = executionsOf();
			while (Date.now() - fired < SCENARIO_TIMEOUT_MS && !(executions.length >= WORKFLOWS && executions.every((e) => FINISHED.has(e.status)))) {
				await sleep(500);
				executions = executionsOf();
			}
			const wallMs = Date.now() - fired;
			// Which worker ran which execution: each worker logs "Worker started execution <id> (job <n>)".
			const ranOn = new Map<string, string>();
			for (const worker of workers) {
				const text = fs.readFileSync(worker.run.stdout, 'utf8');
				for (const match of text.matchAll(/Worker started execution (\d+) \(job/g)) ranOn.set(match[1], worker.name);
			}
			const withWorkers = executions.map((e) => ({ ...e, worker: ranOn.get(e.id) }));
			const result = measure(scenario, sink, withWorkers, wallMs);
			rows.push({ result, scenario });

			check(
				`${title}: ${WORKFLOWS} executions finished, all with status success (${seconds(wallMs)} from the webhooks)`,
				withWorkers.length === WORKFLOWS && withWorkers.every((e) => e.status === 'success'),
				withWorkers.map((e) => `execution ${e.id} (${e.workflowId}): ${e.status}${e.status === 'success' ? '' : `: ${executionError(postgres, e.id)}`}`).join('\n') ||
					'no executions in Postgres',
			);
			const distinct = new Set(withWorkers.map((e) => e.worker).filter(Boolean));
			check(
				`${title}: the executions ran on ${distinct.size} different workers (${withWorkers.map((e) => `#${e.id}→${e.worker ?? '?'}`).join(', ')})`,
				distinct.size === WORKFLOWS && withWorkers.every((e) => e.worker),
				undefined,
			);
			const expected = scenario.workflows.flatMap((w) => Array.from({ length: REPORTS }, (_, index) => `${w.id}#${index}`));
			const delivered = sink.deliveries.filter((d) => scenario.workflows.some((w) => w.id === d.workflowId));
			const counts = new Map<string, number>();
			for (const d of delivered) counts.set(`${d.workflowId}#${d.index}`, (counts.get(`${d.workflowId}#${d.index}`) ?? 0) + 1);
			const missing = expected.filter((key) => !counts.has(key));
			const repeated = [...counts].filter(([, count]) => count !== 1).map(([key, count]) => `${key}: ${count}×`);
			const unexpected = [...counts.keys()].filter((key) => !expected.includes(key));
			// The report each item asked for is the one delivered (GrowingIO answers with the chart's id).
			const mismatched = delivered.filter((d) => service.key === 'growingio' && d.reportId !== d.request.chartId).map((d) => `${d.workflowId}#${d.index}: asked ${String(d.request.chartId)}, got ${String(d.reportId)}`);
			const wrongExecution = delivered.filter((d) => !withWorkers.some((e) => e.id === String(d.executionId) && e.workflowId === d.workflowId));
			check(
				`${title}: each of the ${expected.length} reports delivered exactly once, by its own execution${service.key === 'growingio' ? ', and it is the chart asked for' : ''}`,
				missing.length === 0 && repeated.length === 0 && unexpected.length === 0 && mismatched.length === 0 && wrongExecution.length === 0 && sink.rejected.length === 0,
				[
					missing.length ? `missing ${missing.length}: ${missing.slice(0, 10).join(', ')}` : '',
					repeated.length ? `not once: ${repeated.slice(0, 10).join(', ')}` : '',
					unexpected.length ? `unexpected: ${unexpected.slice(0, 10).join(', ')}` : '',
					mismatched.slice(0, 5).join('\n'),
					wrongExecution.length ? `${wrongExecution.length} from another execution` : '',
					sink.rejected.length ? `collector got non-JSON bodies: ${sink.rejected.slice(0, 3).join(' | ')}` : '',
				]
					.filter(Boolean)
					.join('\n') || undefined,
			);
			check(
				`${title}: every report answered at least once (${result.answered} of ${result.requests} report requests answered 200 for ${expected.length} reports; ${result.tooMany} × 429, ${result.otherErrors} other errors)`,
				result.answered >= expected.length && result.otherErrors === 0,
				result.answered >= expected.length && result.otherErrors === 0 ? undefined : timeline(scenario.sandbox.requests(), service.windowMs),
			);
			if (k === WORKERS && scenario.optionBuilt && service.key === 'openpanel') {
				// 33 per 10 s on each of 3 workers is 99 per window in all: none may be refused. (GrowingIO's
				// 2 per second cannot be split into three uncoordinated shares that never collide: counted, not asserted.)
				const ok = result.tooMany === 0 && result.busiest <= service.limit;
				check(
					`${title}: 0 × 429 with ${SHARING_OPTION} = ${k} (saw ${result.tooMany}; busiest window ${result.busiest}/${service.limit})`,
					ok,
					ok ? undefined : timeline(scenario.sandbox.requests(), service.windowMs),
				);
			}
			console.log(`${LABEL}: ${benchRow(result, service)}`);
		}

		// 7. The bench rows together, and as a Markdown table for the README / docs.
		console.log(`\n${LABEL}: results (n8n ${N8N_VERSION}, ${WORKERS} workers, ${WORKFLOWS} workflows × ${REPORTS} reports at once, sandboxes in strict mode)`);
		for (const { result, scenario } of rows) console.log(`  ${benchRow(result, scenario.service)}`);
		console.log('\n| Service | Workers Sharing (K) | Requests | 429s | Reports delivered | Failed executions | Span first → last request | ÷ ideal | Most in any window | Workers used |');
		console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
		for (const { result, scenario } of rows) {
			const window = `${scenario.service.windowMs / 1000} s`;
			console.log(
				`| ${scenario.service.title} | ${scenario.k}${scenario.k !== 1 && !scenario.optionBuilt ? ' (not built: ran as 1)' : ''} | ${result.requests} | ${result.tooMany} | ${result.delivered}/${WORKFLOWS * REPORTS} | ` +
					`${result.executions.filter((e) => e.status !== 'success').length} | ${result.spanSeconds.toFixed(2)} s | ${result.ratio.toFixed(3)} (÷ ${result.ideal} s) | ${result.busiest}/${scenario.service.limit} per ${window} | ` +
					`${new Set(result.executions.map((e) => e.worker).filter(Boolean)).size} |`,
			);
		}
		console.log(`\n${LABEL}: runner total ${seconds(Date.now() - startedAll)}`);
		return allChecksPassed() ? 0 : 1;
	} finally {
		await cleanUp();
		if (KEEP) console.log(`${LABEL}: kept ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
	}
}

runChecked(LABEL, `${LABEL} runner`, main);
