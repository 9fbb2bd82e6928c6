/**
 * End-to-end test against the real n8n CLI (installed by run.sh: n8n 2.8.4 on Node 20 unless
 * N8N_VERSION says 1.123.81 or 2.41.1, the latter on Node 24).
 *
 * Starts the GrowingIO sandbox in this process, gives n8n a fresh user folder with this package
 * installed the way n8n installs a community package (npm pack, then npm install without dev and
 * peer dependencies, so it runs on n8n's own n8n-workflow), imports two credentials (API token, key pair) and the example
 * workflows (plus a key-pair copy of the dashboard example), runs them all with ONE
 * `n8n execute-batch`, and checks the snapshot files, the summary and what the sandbox saw.
 * The repository's other packages (EXTRA_PACKAGES, see extraPackages.ts) are packed and installed
 * next to it, and their workflows run in the same execute-batch against their own sandboxes.
 *
 * Run through test/e2e/run.sh (installs n8n and builds dist/ first). Env:
 *   N8N_BIN   the n8n executable (default .cache/n8n-2.8.4/node_modules/.bin/n8n)
 *   E2E_LABEL   the label of the final "<label>: N passed, M failed" line (default e2e)
 *   KEEP_E2E=1  keep the temp folder (user folder, snapshots, logs) for a look afterwards
 */
import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';

import { DASHBOARDS, findReport } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { checkCsvExample, checkDigestExample, CSV_EXAMPLE_ID, DIGEST_EXAMPLE_ID } from './reportExamples';
import {
	checkRawExportExample,
	rawExportCredential,
	RAW_EXPORT_EXAMPLE_ID,
	startRawExportSandboxes,
	useRawExportCredential,
	type RawExportSandboxes,
} from './rawExportExample';
import { allChecksPassed, check, runChecked } from './checks';
import type { PackageE2e } from './extraPackages';
import { checkHttpRequestExample, httpRequestCredentials, httpRequestWorkflows, startHttpRequestSandbox } from './httpRequestExample';
import { freePort, installPackage, killN8n, N8N_BIN, N8N_VERSION, n8nEnvironment, packPackage, runN8n, runningN8n, tail } from './n8nProcess';
import { prepareTriggerExample, runTriggerExample, triggerCredential, TRIGGER_EXAMPLE_ID } from './triggerExample';
import { startOpenPanelE2e } from './openPanelExample';
import { startSaferMeE2e } from './saferMeExample';

const REPO = path.resolve(__dirname, '../..');
const PACKAGE_NAME = 'n8n-nodes-growingio';
const KEEP = process.env.KEEP_E2E === '1';
const LABEL = process.env.E2E_LABEL || 'e2e';
/** One n8n command; a first command on a fresh folder runs ~190 migrations (about 10 s here). */
const STEP_TIMEOUT_MS = 180_000;

const TOKEN_CREDENTIAL = { id: 'growingio-cred-1', name: 'GrowingIO account' };
const KEY_PAIR_CREDENTIAL = { id: 'growingio-cred-2', name: 'GrowingIO key pair' };
const DASHBOARD_EXAMPLE = 'dashboard-charts.workflow.json';
const KEY_PAIR_WORKFLOW_ID = 'growingio-e2e-keypair-1';
/** The repository's other packages: each starts its sandbox and brings credentials, workflows and checks. */
const EXTRA_PACKAGES: Array<() => Promise<PackageE2e>> = [startSaferMeE2e, startOpenPanelE2e];

type Json = Record<string, unknown>;

interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<Json & { name: string; type: string; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function readJson<T = unknown>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** What "Get Charts" emits for one dashboard: get.operation.ts `chartItem` over the sandbox's catalog. */
function expectedChartsOf(dashboard: (typeof DASHBOARDS)[number]): Json[] {
	return dashboard.items.map((itemId) => {
		const report = findReport(itemId);
		if (!report) throw new Error(`sandbox data: dashboard ${dashboard.id} lists unknown item ${itemId}`);
		return {
			id: report.id,
			name: report.name,
			type: report.resourceType,
			creator: report.creator,
			createdAt: report.createdAt,
			dashboardId: dashboard.id,
			dashboardName: dashboard.name,
		};
	});
}

interface SnapshotItem {
	json: Json;
	pairedItem?: { item: number } | Array<{ item: number }> | number;
}

/** Output items of a node's first run in an execute-batch snapshot (an IRun). */
function nodeOutput(snapshot: Json, nodeName: string): SnapshotItem[] | undefined {
	const data = snapshot.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: SnapshotItem[][] } }>> } };
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0];
}

function pairedIndex(item: SnapshotItem): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (typeof paired === 'number') return paired;
	return paired?.item;
}

function firstDifference(actual: Json[], expected: Json[]): string {
	if (actual.length !== expected.length) return `got ${actual.length} items, expected ${expected.length}`;
	const index = actual.findIndex((item, i) => !isDeepStrictEqual(item, expected[i]));
	return `item ${index}: got ${JSON.stringify(actual[index])}, expected ${JSON.stringify(expected[index])}`;
}

/** Get Dashboards = the first `limit` dashboards; Get Charts = their charts, each paired with its dashboard. */
function checkDashboardWorkflow(label: string, snapshot: Json | undefined, limit: number) {
	const title = `${label}: Get Charts = charts of the first ${limit} dashboards, each item paired with its dashboard`;
	if (!snapshot) return check(title, false, 'no snapshot (the workflow did not succeed)');
	const dashboards = DASHBOARDS.slice(0, limit);
	const listed = nodeOutput(snapshot, 'Get Dashboards') ?? [];
	const listedIds = listed.map((item) => item.json.id);
	if (!isDeepStrictEqual(listedIds, dashboards.map((d) => d.id))) {
		return check(title, false, `Get Dashboards returned ids ${JSON.stringify(listedIds)}, expected ${JSON.stringify(dashboards.map((d) => d.id))}`);
	}
	const items = nodeOutput(snapshot, 'Get Charts');
	if (!items) return check(title, false, 'no output of node "Get Charts" in the snapshot');
	const expected = dashboards.flatMap((dashboard) => expectedChartsOf(dashboard));
	const expectedPairs = dashboards.flatMap((dashboard, index) => dashboard.items.map(() => index));
	const actual = items.map((item) => item.json);
	if (!isDeepStrictEqual(actual, expected)) return check(title, false, firstDifference(actual, expected));
	const unpaired = items.findIndex((item, i) => item.pairedItem === undefined || pairedIndex(item) !== expectedPairs[i]);
	if (unpaired >= 0) {
		return check(title, false, `item ${unpaired} has pairedItem ${JSON.stringify(items[unpaired].pairedItem)}, expected { item: ${expectedPairs[unpaired]} }`);
	}
	const types = [...new Set(actual.map((item) => item.type))].join(', ');
	check(`${title} (${actual.length} items; types ${types})`, true);
}

async function main(): Promise<number> {
	const startedAll = Date.now();
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed at ${N8N_BIN}; run test/e2e/run.sh`);
	const manifest = readJson<{ name: string; n8n: { nodes: string[]; credentials: string[] } }>(path.join(REPO, 'package.json'));
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing; run npm run build first`);
	}
	if (manifest.name !== PACKAGE_NAME) throw new Error(`package.json name is ${manifest.name}, expected ${PACKAGE_NAME}`);

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'growingio-e2e-'));
	const userFolder = path.join(work, 'user');
	const logDir = path.join(work, 'logs');
	const snapshotDir = path.join(work, 'snapshots');
	const workflowDir = path.join(work, 'workflows');
	const summaryFile = path.join(work, 'summary.json');

	let sandbox: Sandbox | undefined;
	let rawExport: RawExportSandboxes | undefined;
	let triggerSandboxes: RawExportSandboxes | undefined;
	let httpRequestSandbox: Sandbox | undefined;
	const extras: PackageE2e[] = [];
	const onSignal = (signal: NodeJS.Signals) => {
		const child = runningN8n();
		if (child) killN8n(child);
		console.error(`e2e: got ${signal}, stopping`);
		if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		let stepStart = Date.now();
		for (const dir of [logDir, snapshotDir, workflowDir]) fs.mkdirSync(dir, { recursive: true });
		for (const start of EXTRA_PACKAGES) extras.push(await start());
		const packages = [{ name: PACKAGE_NAME, dir: REPO }, ...extras.map(({ name, dir }) => ({ name, dir }))];
		const tarballs = packages.map(({ dir }) => packPackage(dir, work));
		installPackage(userFolder, ...tarballs);
		const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
		packages.forEach(({ name, dir }, index) => {
			// As n8n installs it: the package's files from the tarball, its dependencies, no n8n-workflow of its own.
			const files = readJson<{ n8n: { nodes: string[]; credentials: string[] } }>(path.join(dir, 'package.json')).n8n;
			const missing = [...files.nodes, ...files.credentials].filter((file) => !fs.existsSync(path.join(installed, name, file)));
			const linked = fs.existsSync(path.join(installed, name)) && fs.lstatSync(path.join(installed, name)).isSymbolicLink();
			const ownWorkflow = fs.existsSync(path.join(installed, 'n8n-workflow')) || fs.existsSync(path.join(installed, name, 'node_modules', 'n8n-workflow'));
			check(
				`package installed from ${path.basename(tarballs[index])} into .n8n/nodes without dev or peer dependencies (no own n8n-workflow)`,
				missing.length === 0 && !linked && !ownWorkflow,
				`${missing.length ? `missing ${missing.join(', ')}; ` : ''}${linked ? 'a symlink; ' : ''}${ownWorkflow ? 'has its own n8n-workflow' : ''}`,
			);
		});
		console.log(`e2e: n8n ${N8N_VERSION}; packed ${tarballs.map((t) => path.basename(t)).join(', ')} and installed them into the user folder's .n8n/nodes: ${seconds(stepStart)}`);
		stepStart = Date.now();
		sandbox = await startSandbox({ port: 0, quiet: true });
		rawExport = await startRawExportSandboxes();
		triggerSandboxes = await startRawExportSandboxes();
		httpRequestSandbox = await startHttpRequestSandbox();
		const filesDir = path.join(work, 'files');
		fs.mkdirSync(filesDir);
		const env = n8nEnvironment(userFolder, await freePort());
		console.log(`e2e: n8n ${N8N_VERSION} runs on Node ${execFileSync('node', ['--version'], { env, encoding: 'utf8' }).trim()}`);
		console.log(`e2e: sandbox on ${sandbox.url}; work folder ${work}${KEEP ? ' (kept)' : ''}`);

		// Credentials: decrypted JSON; import:credentials encrypts it with N8N_ENCRYPTION_KEY.
		// An empty sessionToken makes n8n run the credential's preAuthentication (key-pair login).
		const common = { projectUid: sandbox.project.uid, projectId: sandbox.project.ai, baseUrl: sandbox.url, sessionToken: '' };
		const credentials = [
			{ ...TOKEN_CREDENTIAL, type: 'growingIoApi', data: { authentication: 'apiToken', apiToken: sandbox.apiToken, ...common } },
			{
				...KEY_PAIR_CREDENTIAL,
				type: 'growingIoApi',
				data: { authentication: 'keyPair', publicKey: sandbox.project.publicKey, privateKey: sandbox.project.privateKey, ...common },
			},
			rawExportCredential(rawExport.sandbox),
			triggerCredential(triggerSandboxes.sandbox),
			...httpRequestCredentials(httpRequestSandbox),
			...extras.flatMap((extra) => extra.credentials),
		];
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));

		// Workflows: every example as is, plus the dashboard example on the key-pair credential.
		const exampleFiles = fs.readdirSync(path.join(REPO, 'examples')).filter((f) => f.endsWith('.workflow.json')).sort();
		if (!exampleFiles.includes(DASHBOARD_EXAMPLE)) throw new Error(`examples/${DASHBOARD_EXAMPLE} is missing`);
		const workflows: Array<{ file: string; workflow: WorkflowFile }> = exampleFiles.map((file) => ({
			file,
			workflow: readJson<WorkflowFile>(path.join(REPO, 'examples', file)),
		}));
		const dashboardExample = workflows.find((w) => w.file === DASHBOARD_EXAMPLE)!.workflow;
		const keyPairCopy: WorkflowFile = JSON.parse(JSON.stringify(dashboardExample));
		keyPairCopy.id = KEY_PAIR_WORKFLOW_ID;
		keyPairCopy.name = `${dashboardExample.name} (key pair)`;
		for (const node of keyPairCopy.nodes) {
			node.id = randomUUID();
			if (node.credentials?.growingIoApi) node.credentials.growingIoApi = { ...KEY_PAIR_CREDENTIAL };
		}
		workflows.push({ file: `(generated) ${KEY_PAIR_WORKFLOW_ID}.json`, workflow: keyPairCopy });
		// n8n's HTTP Request node with the GrowingIO credential, on its own sandbox.
		workflows.push(...httpRequestWorkflows(httpRequestSandbox));
		for (const extra of extras) workflows.push(...extra.workflows);
		useRawExportCredential(workflows.find(({ workflow }) => workflow.id === RAW_EXPORT_EXAMPLE_ID)?.workflow);
		prepareTriggerExample(workflows.find(({ workflow }) => workflow.id === TRIGGER_EXAMPLE_ID)?.workflow, filesDir);
		// execute-batch runs the examples that start by hand; the trigger examples run when published.
		const ids = workflows.filter(({ workflow }) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')).map(({ workflow }) => workflow.id);
		const allIds = workflows.map(({ workflow }) => workflow.id);
		for (const { file, workflow } of workflows) {
			// execute-batch drops ids without a digit (it filters them with /\d+/).
			if (typeof workflow.id !== 'string' || !/\d/.test(workflow.id)) throw new Error(`${file}: workflow id "${workflow.id}" needs a digit`);
			fs.writeFileSync(path.join(workflowDir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		if (new Set(allIds).size !== allIds.length) throw new Error(`duplicate workflow ids: ${allIds.join(', ')}`);
		console.log(`e2e: setup ${seconds(stepStart)} (${allIds.length} workflows: ${allIds.join(', ')})`);

		const steps: Array<{ step: string; args: string[] }> = [
			{ step: 'import-credentials', args: ['import:credentials', `--input=${credentialsFile}`] },
			{ step: 'import-workflows', args: ['import:workflow', '--separate', `--input=${workflowDir}`] },
			{
				step: 'execute-batch',
				args: ['execute-batch', `--ids=${ids.join(',')}`, `--snapshot=${snapshotDir}`, `--output=${summaryFile}`, '--retries=0'],
			},
		];
		const logs: string[] = [];
		let batchFailed = false;
		for (const { step, args } of steps) {
			stepStart = Date.now();
			const result = await runN8n(step, args, env, work, logDir, STEP_TIMEOUT_MS);
			logs.push(result.stdout, result.stderr);
			console.log(`e2e: n8n ${args[0]}: ${seconds(stepStart)} (exit ${result.code ?? result.signal})`);
			// execute-batch's exit code is unreliable (some failures count as warnings): the checks
			// below read its files. The imports must succeed, though.
			if (step === 'execute-batch') {
				batchFailed = result.code !== 0;
				continue;
			}
			if (result.code !== 0) {
				check(`n8n ${args[0]} exits 0`, false, `${tail(result.stdout)}\n${tail(result.stderr)}`);
				return 1;
			}
		}

		// 1. Every workflow succeeded: the summary says so and each has a successful snapshot.
		const snapshots = new Map<string, Json>();
		{
			const problems: string[] = [];
			let summary: { summary?: { successfulExecutions?: number; failedExecutions?: number; warningExecutions?: number; errors?: unknown[]; warnings?: unknown[] } } | undefined;
			if (fs.existsSync(summaryFile)) summary = readJson(summaryFile);
			else problems.push('execute-batch wrote no summary file');
			const s = summary?.summary;
			if (s && (s.successfulExecutions !== ids.length || s.failedExecutions || s.warningExecutions)) {
				problems.push(
					`summary: ${s.successfulExecutions} succeeded, ${s.failedExecutions} failed, ${s.warningExecutions} warnings; ` +
						JSON.stringify([...(s.errors ?? []), ...(s.warnings ?? [])]),
				);
			}
			for (const id of ids) {
				const file = path.join(snapshotDir, `${id}-snapshot.json`);
				if (!fs.existsSync(file)) {
					problems.push(`${id}: no snapshot`);
					continue;
				}
				const snapshot = readJson<Json>(file);
				const resultData = (snapshot.data as { resultData?: { error?: { message?: string } } })?.resultData;
				if (snapshot.status !== 'success' || resultData?.error) {
					problems.push(`${id}: status ${String(snapshot.status)}${resultData?.error ? `, error ${resultData.error.message}` : ''}`);
					continue;
				}
				snapshots.set(id, snapshot);
			}
			const failed = problems.length > 0;
			check(
				`n8n execute-batch: ${snapshots.size}/${ids.length} workflows succeeded (summary and snapshots)`,
				!failed,
				failed ? `${problems.join('\n')}\n${tail(path.join(logDir, 'execute-batch.stdout.log'))}\n${tail(path.join(logDir, 'execute-batch.stderr.log'))}` : undefined,
			);
			if (!failed && batchFailed) console.log('     (note: execute-batch exited non-zero although every workflow succeeded)');
		}

		// The trigger example, published and run by `n8n start` (its logs join the secret scan below).
		await runTriggerExample({
			env,
			cwd: work,
			logDir,
			filesDir,
			port: await freePort(),
			sandboxes: triggerSandboxes,
			runStep: async (step, args) => {
				const result = await runN8n(step, args, env, work, logDir, STEP_TIMEOUT_MS);
				logs.push(result.stdout, result.stderr);
				return result;
			},
			logs,
			check,
		});

		// 2-3. The dashboard example's output, with the API token and with the key pair.
		const limit = Number((dashboardExample.nodes.find((n) => n.name === 'Get Dashboards')?.parameters as Json | undefined)?.limit);
		if (!Number.isInteger(limit) || limit < 1) throw new Error(`${DASHBOARD_EXAMPLE}: "Get Dashboards" has no numeric limit`);
		checkDashboardWorkflow(`API token (${dashboardExample.id})`, snapshots.get(dashboardExample.id), limit);
		checkDashboardWorkflow(`key pair (${KEY_PAIR_WORKFLOW_ID})`, snapshots.get(KEY_PAIR_WORKFLOW_ID), limit);
		checkDigestExample(snapshots.get(DIGEST_EXAMPLE_ID), check);
		checkCsvExample(snapshots.get(CSV_EXAMPLE_ID), userFolder, check);
		await checkRawExportExample(snapshots.get(RAW_EXPORT_EXAMPLE_ID), rawExport, userFolder, check);
		checkHttpRequestExample(snapshots, httpRequestSandbox, check);
		for (const extra of extras) await extra.check(snapshots, check);

		// 4. What the sandbox saw: every request authorized, none turned away with 401.
		const requests = sandbox.requests;
		const isLogin = (r: (typeof requests)[number]) => r.method === 'POST' && r.path === '/auth/token';
		{
			const unauthorized = requests.filter((r) => !isLogin(r) && (!r.hadAuthorization || r.status === 401));
			const failedRequests = requests.filter((r) => r.status >= 400);
			const ok = requests.length > 0 && unauthorized.length === 0 && failedRequests.length === 0;
			check(
				`sandbox: all ${requests.length} requests carried Authorization and were answered without 401 or other errors`,
				ok,
				ok ? undefined : JSON.stringify([...new Set([...unauthorized, ...failedRequests])].slice(0, 10)),
			);
		}

		// 5. The rate limit held across the whole batch (one n8n process, one shared limiter).
		{
			const most = sandbox.maxRequestsInAnyWindow(1000);
			const first = requests[0]?.arrivedAt ?? 0;
			const timeline = requests
				.map((r) => `+${String(r.arrivedAt - first).padStart(5)} ms ${r.method} ${r.path} -> ${r.status}${r.countsTowardLimit ? '' : ' (not counted)'}`)
				.join('\n');
			check(`sandbox: at most 2 requests in any 1 s window (saw ${most})`, most <= 2, most <= 2 ? undefined : timeline);
		}

		// 6. The key-pair run logged in through POST /auth/token, and the issued code was accepted.
		{
			const logins = requests.filter(isLogin);
			const issued = sandbox.issuedCodes();
			const ok = logins.length >= 1 && logins.every((r) => r.status === 200) && issued.length >= 1 && snapshots.has(KEY_PAIR_WORKFLOW_ID);
			check(
				`key pair: logged in with POST /auth/token (${logins.length} login${logins.length === 1 ? '' : 's'}, ${issued.length} code${issued.length === 1 ? '' : 's'} issued) and its workflow succeeded`,
				ok,
				ok ? undefined : `logins: ${JSON.stringify(logins)}`,
			);
		}

		// 7. No secret reached the snapshots, the summary or n8n's output.
		{
			const issued = [...sandbox.issuedCodes(), ...httpRequestSandbox.issuedCodes()];
			const secrets = [
				{ label: 'API token', value: sandbox.apiToken },
				{ label: 'private key', value: sandbox.project.privateKey },
				...issued.map((value, i) => ({ label: `issued key-pair code #${i + 1}`, value })),
				...extras.flatMap((extra) => extra.secrets()),
			].filter((s) => typeof s.value === 'string' && s.value.length >= 6);
			const files = [
				...fs.readdirSync(snapshotDir).map((f) => path.join(snapshotDir, f)),
				...(fs.existsSync(summaryFile) ? [summaryFile] : []),
				...logs,
			];
			const leaks: string[] = [];
			for (const file of files) {
				const text = fs.readFileSync(file, 'utf8');
				for (const secret of secrets) if (text.includes(secret.value)) leaks.push(`${secret.label} in ${path.relative(work, file)}`);
			}
			check(
				`secrets: ${secrets.map((s) => s.label).join(', ')} absent from ${files.length} files (snapshots, summary, n8n stdout/stderr)`,
				secrets.length >= 2 && leaks.length === 0,
				leaks.length ? leaks.join('\n') : secrets.length < 2 ? 'the sandbox exposed no secrets to look for' : undefined,
			);
		}
		console.log(`e2e: runner total ${seconds(startedAll)}`);
		return allChecksPassed() ? 0 : 1;
	} finally {
		await sandbox?.close();
		await rawExport?.close();
		await triggerSandboxes?.close();
		await httpRequestSandbox?.close();
		for (const extra of extras) await extra.close();
		if (KEEP) console.log(`e2e: kept ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
	}
}

runChecked(LABEL, 'e2e runner', main);
