/**
 * The editor test: Chromium (Debian's package, driven by playwright-core) against real n8n 2.8.4
 * serving its editor, with this package loaded and the GrowingIO sandbox running in this process.
 * It goes the way a new user goes: set up the owner, find GrowingIO in the node panel, add
 * Dashboard → Get, create the credential from the node (a wrong token must fail with a message
 * about the token, the right one must pass, Retry tests again), pick a dashboard From List,
 * execute the step and read the output table; then Chart → Get Data and the trigger's Fetch Test
 * Event the same way. Everything it reads on screen is checked against the sandbox's data.
 *
 * Run through test/browser/run.sh (installs n8n, builds dist/). Env:
 *   CHROMIUM_PATH      the browser (default /usr/bin/chromium, see install-chromium.sh)
 *   N8N_BIN            the n8n executable (default .cache/n8n-2.8.4/node_modules/.bin/n8n)
 *   BROWSER_TIMEOUT_S  the whole run's limit (default 600)
 *   KEEP_BROWSER=1     keep the temp folder (n8n user folder, logs, browser profile)
 * Screenshots of failures (and n8n's logs then) go to test/browser/screenshots/ (gitignored).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DateTime } from 'luxon';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { CHARTS, DASHBOARDS, findReport } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { freePort, killN8n, linkPackage, N8N_BIN, n8nEnvironment, spawnN8n, tail } from '../e2e/n8nProcess';
import {
	chooseAction,
	closeNdv,
	CredentialModal,
	executeAndRead,
	openGrowingIoInNodePanel,
	openList,
	pickFromList,
	setUpOwner,
	until,
	type RunOutcome,
} from './editorPage';

const REPO = path.resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUN_TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_S ?? 600) * 1000;
const KEEP = process.env.KEEP_BROWSER === '1';
const SCREENSHOTS = path.join(__dirname, 'screenshots');
/** n8n's first start on a fresh user folder runs ~190 migrations; on a busy 2-core machine it can take a minute. */
const START_TIMEOUT_MS = 180_000;
/** One click or one element to appear. */
const ACTION_TIMEOUT_MS = 30_000;
/** A step's execution or a credential test: requests paced at 2 per second, on a busy machine. */
const RUN_STEP_TIMEOUT_MS = 90_000;
/** Without the background-networking flags Chromium keeps trying Google's hosts (refused here). */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Editor-test-1' };

/** A dashboard with a few reports of different kinds, and a line chart: fast to fetch, easy to check. */
const DASHBOARD = DASHBOARDS.find((d) => d.id === 'Ch7nL2pW');
const CHART = CHARTS.find((c) => c.id === 'Lw3kP9sD');
/** The node panel's action names come from the operations' `action` texts; matched loosely. */
const GET_DASHBOARD = /^\s*get (a |one )?dashboard\s*$/i;
const GET_CHART_DATA = /chart('s)? data/i;
const RAW_EXPORT_READY = /raw export (is )?ready/i;

interface Check {
	name: string;
	ok: boolean;
}

const checks: Check[] = [];
const timings: string[] = [];
let page: Page | undefined;
let screenshotCount = 0;
/** Set by the whole-run timeout: what fails after it is its consequence, not news. */
let timedOut = false;

/** Thrown by a flow step that could not go on; the checks already recorded it. */
class FlowStopped extends Error {}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function screenshot(label: string): Promise<string | undefined> {
	if (!page || page.isClosed()) return undefined;
	screenshotCount++;
	const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
	const file = path.join(SCREENSHOTS, `${String(screenshotCount).padStart(2, '0')}-${slug}.png`);
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	try {
		await page.screenshot({ path: file, timeout: 15_000 });
		return file;
	} catch {
		return undefined;
	}
}

async function check(name: string, ok: boolean, detail?: string) {
	checks.push({ name, ok });
	const shot = ok ? undefined : await screenshot(name);
	// Details explain failures; a passing check's name says enough.
	const lines = ok ? '' : [detail, shot && `screenshot: ${path.relative(REPO, shot)}`].filter(Boolean).join('\n');
	console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${lines ? `\n     ${lines.split('\n').join('\n     ')}` : ''}`);
}

/** One stretch of the user's way; if it throws, the flow stops there (later steps depend on it). */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		const result = await run();
		timings.push(`${name}: ${seconds(started)}`);
		return result;
	} catch (error) {
		if (!(error instanceof FlowStopped) && !timedOut) {
			const message = error instanceof Error ? error.message.split('\n').slice(0, 12).join('\n') : String(error);
			await check(`${name} (stopped after ${seconds(started)})`, false, message);
		}
		throw new FlowStopped(name);
	}
}

/** A check the flow cannot go on without. */
async function must(name: string, ok: boolean, detail?: string) {
	await check(name, ok, ok ? undefined : detail);
	if (!ok) throw new FlowStopped(name);
}

async function waitForEditor(url: string, child: { exitCode: number | null }, timeoutMs: number) {
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode} before the editor was ready`);
		try {
			// /healthz/readiness answers before the editor's routes exist: wait for the page itself.
			const response = await fetch(`${url}/signin`);
			if (response.ok && /<html/i.test(await response.text())) return;
		} catch {
			// not listening yet
		}
		if (Date.now() - started > timeoutMs) throw new Error(`n8n's editor was not ready within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Chromium may still write its profile for a moment after a hurried close: retry, never fail the run on it. */
async function removeFolder(folder: string) {
	for (let attempt = 1; ; attempt++) {
		try {
			fs.rmSync(folder, { recursive: true, force: true });
			return;
		} catch (error) {
			if (attempt === 20) return console.log(`browser: could not remove ${folder}: ${(error as Error).message}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

function outcomeDetail(outcome: RunOutcome): string {
	return outcome.ok
		? `headers ${JSON.stringify(outcome.headers)}, ${outcome.rows.length} rows, ${outcome.itemCount} items; ${outcome.text.replace(/\s+/g, ' ').slice(0, 400)}`
		: `the run failed: ${outcome.text.slice(0, 600)}`;
}

async function editorFlow(sandbox: Sandbox, editorUrl: string) {
	const { uid, ai } = sandbox.project;
	const testPath = `/projects/${uid}/dashboards.json`;
	const testRequests = (status: number) => sandbox.requests.filter((r) => r.path === testPath && r.status === status).length;
	const p = page!;

	await step('owner setup', async () => {
		await setUpOwner(p, editorUrl, OWNER);
		await check(`owner set up through the /setup form; the editor opens ${new URL(p.url()).pathname}`, true);
	});

	await step('node panel', async () => {
		await p.goto(`${editorUrl}/workflow/new`);
		await p.getByTestId('canvas-add-button').click();
		const items = await openGrowingIoInNodePanel(p);
		const wanted = [GET_DASHBOARD, GET_CHART_DATA, RAW_EXPORT_READY];
		await must(
			`node panel: searching "GrowingIO" finds the package, with Dashboard → Get, Chart → Get Data and the trigger's events (${items.length} entries)`,
			wanted.every((re) => items.some((item) => re.test(item))),
			`entries: ${JSON.stringify(items)}`,
		);
	});

	const ndv = await step('add Dashboard → Get', async () => {
		const opened = await chooseAction(p, GET_DASHBOARD);
		await opened.getByTestId('resource-locator-dashboardId').waitFor();
		const manualTriggers = await p.getByTestId('canvas-node').and(p.locator('[data-node-type="n8n-nodes-base.manualTrigger"]')).count();
		await check(`Dashboard → Get opens with its Dashboard picker; n8n added a manual trigger before it (${manualTriggers})`, manualTriggers === 1);
		return opened;
	});

	await step('credential', async () => {
		const modal = new CredentialModal(p);
		await modal.openFrom(ndv);
		const wrongToken = `wrong-${Date.now().toString(36)}-token`;
		await modal.fill({ apiToken: wrongToken, projectUid: uid, projectId: ai, baseUrl: sandbox.url });

		// n8n retries a 401 once after re-running the credential's login (its session token is
		// expirable), so a refused test is one or two requests: count arrivals, not exact numbers.
		const refused = await modal.saveAndTest(RUN_STEP_TIMEOUT_MS);
		let seen401 = testRequests(401);
		await must(`credential Test with a wrong token fails (the sandbox refused ${seen401} test request${seen401 === 1 ? '' : 's'})`, refused === 'failure' && seen401 >= 1, `outcome ${refused}; ${testRequests(404)} test requests answered 404, ${testRequests(200)} answered 200`);
		const message = await modal.failureText();
		await check(
			`credential Test failure message mentions the token: "${message}"`,
			/token/i.test(message) && !message.includes(wrongToken),
			message.includes(wrongToken) ? 'the message repeats the token' : 'no mention of the token',
		);
		const retried = await modal.retest(RUN_STEP_TIMEOUT_MS, () => until('the retest request', () => testRequests(401) > seen401, RUN_STEP_TIMEOUT_MS));
		seen401 = testRequests(401);
		await check('credential Retry tests the wrong token again, and fails again', retried === 'failure');

		await modal.fill({ apiToken: sandbox.apiToken });
		const passed = await modal.saveAndTest(RUN_STEP_TIMEOUT_MS);
		const seen200 = testRequests(200);
		await must(`credential Test with the sandbox's token passes ("${(await modal.success().innerText()).replace(/\s+/g, ' ').trim()}")`, passed === 'success' && seen200 >= 1, `outcome ${passed}; ${seen200} accepted test requests`);
		const again = await modal.retest(RUN_STEP_TIMEOUT_MS, () => until('the retest request', () => testRequests(200) > seen200, RUN_STEP_TIMEOUT_MS));
		await check('credential Retry tests the right token again, and passes again', again === 'success' && testRequests(401) === seen401);
		await modal.close();
		const selected = await ndv.getByTestId('node-credentials-select').locator('input').inputValue();
		await check(`the node uses the new credential ("${selected}")`, selected.length > 0);
	});

	await step('Dashboard → Get: From List and Execute step', async () => {
		const expected = DASHBOARDS.map((d) => d.name);
		const listed = await openList(p, ndv, 'dashboardId', RUN_STEP_TIMEOUT_MS);
		await check(
			`Dashboard From List shows the sandbox's ${expected.length} dashboards`,
			JSON.stringify([...listed].sort()) === JSON.stringify([...expected].sort()),
			`listed ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`,
		);
		await pickFromList(p, DASHBOARD!.name);
		const outcome = await executeAndRead(ndv, RUN_STEP_TIMEOUT_MS);
		const missing = [DASHBOARD!.id, ...DASHBOARD!.items].filter((id) => !outcome.text.includes(id));
		await check(
			`Dashboard → Get of "${DASHBOARD!.name}": the output table shows the dashboard and its ${DASHBOARD!.items.length} charts`,
			outcome.ok && outcome.rows.length >= 1 && missing.length === 0,
			`${missing.length ? `missing ids ${missing.join(', ')}; ` : ''}${outcomeDetail(outcome)}`,
		);
		await closeNdv(p);
	});

	await step('Chart → Get Data: From List and Execute step', async () => {
		await p.getByTestId('canvas-node').and(p.locator('[data-node-type="n8n-nodes-base.manualTrigger"]')).click();
		await p.getByTestId('node-creator-plus-button').click();
		await openGrowingIoInNodePanel(p);
		const chartNdv = await chooseAction(p, GET_CHART_DATA);
		const credential = await chartNdv.getByTestId('node-credentials-select').locator('input').inputValue();
		await check(`Chart → Get Data starts with the only credential selected ("${credential}")`, credential.length > 0);

		const seen = new Set<string>();
		const expected = DASHBOARDS.flatMap((d) => d.items)
			.map((id) => findReport(id))
			.filter((r) => r?.resourceType === 'chart' && !seen.has(r.id) && seen.add(r.id))
			.map((r) => r!.name);
		const listed = await openList(p, chartNdv, 'chartId', RUN_STEP_TIMEOUT_MS);
		const absent = expected.filter((name) => !listed.some((entry) => entry.startsWith(name)));
		await check(
			`Chart From List shows the ${expected.length} charts on the sandbox's dashboards`,
			absent.length === 0 && listed.length === expected.length,
			`absent ${JSON.stringify(absent)}; listed ${JSON.stringify(listed)}`,
		);
		await pickFromList(p, CHART!.name);
		const outcome = await executeAndRead(chartNdv, RUN_STEP_TIMEOUT_MS);
		const metrics = CHART!.metrics.map((m) => m.name);
		const numeric = outcome.rows.every((row) => row.some((cell) => /^\d+(\.\d+)?$/.test(cell)));
		await check(
			`Chart → Get Data of "${CHART!.name}": the output table has a column per metric (${metrics.join(', ')}) and numeric rows`,
			outcome.ok && outcome.rows.length >= 1 && metrics.every((m) => outcome.headers.includes(m)) && numeric,
			outcomeDetail(outcome),
		);
		await closeNdv(p);
	});

	await step('trigger: Fetch Test Event', async () => {
		await p.getByTestId('node-creator-plus-button').click();
		await openGrowingIoInNodePanel(p);
		const triggerNdv = await chooseAction(p, RAW_EXPORT_READY);
		const button = (await triggerNdv.getByTestId('node-execute-button').innerText()).trim();
		await check(`the GrowingIO Trigger's button reads "${button}"`, /fetch test event/i.test(button));
		const outcome = await executeAndRead(triggerNdv, RUN_STEP_TIMEOUT_MS);
		// The latest finished daily export: yesterday (Beijing), or earlier before it is ready.
		const today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
		const recentDays = [1, 2, 3].map((n) => today.minus({ days: n }).toFormat('yyyyMMdd'));
		const row = outcome.rows[0]?.join(' ') ?? '';
		await check(
			'Fetch Test Event: the output table shows a finished recent daily export with links into the sandbox',
			outcome.ok && /rawExportReady/.test(row) && /FINISHED/.test(row) && recentDays.some((d) => row.includes(d)) && outcome.text.includes(`${sandbox.url}/storage/`),
			outcomeDetail(outcome),
		);
		await closeNdv(p);
	});
}

async function main(): Promise<void> {
	const startedAll = Date.now();
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed at ${N8N_BIN}; run test/browser/run.sh`);
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}; run test/browser/install-chromium.sh (as root) or set CHROMIUM_PATH`);
	if (!DASHBOARD || !CHART) throw new Error('sandbox data: the dashboard Ch7nL2pW or the chart Lw3kP9sD is gone');
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing; run npm run build first`);
	}
	fs.rmSync(SCREENSHOTS, { recursive: true, force: true });

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'growingio-browser-'));
	const userFolder = path.join(work, 'user');
	const logDir = path.join(work, 'logs');
	fs.mkdirSync(logDir, { recursive: true });
	linkPackage(userFolder, REPO, manifest.name);

	let sandbox: Sandbox | undefined;
	let context: BrowserContext | undefined;
	let n8n: ReturnType<typeof spawnN8n> | undefined;
	const pageErrors: string[] = [];
	const cleanUp = async () => {
		await context?.close().catch(() => undefined);
		if (n8n) {
			killN8n(n8n.child);
			n8n.closeLogs();
			n8n = undefined;
		}
		await sandbox?.close();
		if (KEEP) console.log(`browser: kept ${work}`);
		else await removeFolder(work);
	};
	const keepLogs = () => {
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		for (const file of fs.readdirSync(logDir)) fs.copyFileSync(path.join(logDir, file), path.join(SCREENSHOTS, `n8n-${file}`));
	};
	// On timeout: record it, then close the browser and n8n so whatever waits fails at once and
	// the run ends through the usual clean-up; exit anyway if that hangs.
	const guard = setTimeout(() => {
		void (async () => {
			await check(`the whole run finishes within ${RUN_TIMEOUT_MS / 1000} s`, false, `done by then: ${timings.join('; ') || 'nothing'}`);
			timedOut = true;
			await context?.close().catch(() => undefined);
			if (n8n) killN8n(n8n.child);
			setTimeout(() => {
				report();
				process.exit(1);
			}, 30_000).unref();
		})();
	}, RUN_TIMEOUT_MS);
	const onSignal = (signal: NodeJS.Signals) => {
		console.error(`browser: got ${signal}, stopping`);
		if (n8n) killN8n(n8n.child);
		if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		sandbox = await startSandbox({ port: 0, quiet: true });
		const port = await freePort();
		const editorUrl = `http://127.0.0.1:${port}`;
		const env = {
			...n8nEnvironment(userFolder, await freePort()),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			// The editor is served over plain http: a secure session cookie would never come back.
			N8N_SECURE_COOKIE: 'false',
		};
		await step('n8n start', async () => {
			const started = Date.now();
			n8n = spawnN8n('start', ['start'], env, work, logDir);
			await waitForEditor(editorUrl, n8n.child, START_TIMEOUT_MS);
			await check(`n8n start serves the editor (cold: fresh user folder) in ${seconds(started)}`, true);
		});

		await step('Chromium', async () => {
			const started = Date.now();
			selectors.setTestIdAttribute('data-test-id');
			context = await chromium.launchPersistentContext(path.join(work, 'chromium'), {
				executablePath: CHROMIUM,
				headless: true,
				args: CHROMIUM_ARGS,
				viewport: { width: 1440, height: 900 },
			});
			page = context.pages()[0] ?? (await context.newPage());
			page.setDefaultTimeout(ACTION_TIMEOUT_MS);
			page.setDefaultNavigationTimeout(60_000);
			page.on('pageerror', (error) => pageErrors.push(error.message));
			console.log(`browser: ${context.browser()?.version() ?? 'Chromium'} up in ${seconds(started)}; sandbox ${sandbox!.url}, editor ${editorUrl}`);
		});

		await editorFlow(sandbox, editorUrl);

		// What the sandbox saw over the whole run: paced, and authorized except the wrong token.
		const most = sandbox.maxRequestsInAnyWindow(1000);
		await check(`sandbox: at most 2 requests in any 1 s window over the run (saw ${most}, ${sandbox.requests.length} requests)`, most <= 2);
		const unexpected = sandbox.requests.filter((r) => !(r.status === 200 || (r.status === 401 && r.path.endsWith('/dashboards.json'))) || !r.hadAuthorization);
		await check(
			'sandbox: every request carried Authorization and was answered 200, except the wrong-token tests (401)',
			unexpected.length === 0,
			JSON.stringify(unexpected.slice(0, 5)),
		);
		const html = await page!.content();
		const logs = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8')).join('\n');
		await check('secrets: the API token is in neither the editor page nor n8n\'s logs', !html.includes(sandbox.apiToken) && !logs.includes(sandbox.apiToken));
	} catch (error) {
		if (!(error instanceof FlowStopped)) throw error;
		console.log(`browser: the flow stopped at "${error.message}"; the steps after it did not run`);
	} finally {
		clearTimeout(guard);
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
		if (checks.some((c) => !c.ok)) {
			keepLogs();
			if (pageErrors.length) console.log(`browser: page errors:\n  ${pageErrors.slice(0, 10).join('\n  ')}`);
			if (n8n) console.log(tail(n8n.stdout, 30));
		}
		await cleanUp();
		console.log(`browser: timings: ${timings.join('; ')}`);
		console.log(`browser: total ${seconds(startedAll)}`);
	}
}

function report() {
	const passed = checks.filter((c) => c.ok).length;
	console.log(`browser: ${passed} passed, ${checks.length - passed} failed`);
}

main()
	.catch(async (error: unknown) => {
		await check('browser runner', false, error instanceof Error ? (error.stack ?? error.message) : String(error));
	})
	.then(() => {
		report();
		process.exit(checks.length > 0 && checks.every((c) => c.ok) ? 0 : 1);
	});
