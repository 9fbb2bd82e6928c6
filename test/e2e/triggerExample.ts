/**
 * e2e of the GrowingIO Trigger in real n8n: the "store each daily raw export as soon as it is
 * ready" example is published (activated) and `n8n start` runs it — the activation poll and the
 * cron polls after it, each emitted poll starting a real execution (IF → GrowingIO Download →
 * Write File). Checked: every finished export from First Period on lands on disk as the bytes the
 * sandbox serves, each part downloaded exactly once over all polls, and never over 2 requests/s.
 *
 * Its own sandboxes (the raw-export example's kind: at 00:00–03:00 Beijing their clock reads 03:00) keep these counts apart from the other examples'. The example
 * polls hourly and starts with New Periods Only; here it polls every minute, starts 4 days back
 * and checks at most 2 exports per poll, so catching up takes two polls.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { DateTime } from 'luxon';

import type { Sandbox } from '../../sandbox/server';
import type { RawExportSandboxes } from './rawExportExample';
import { killN8n, N8N_MAJOR, spawnN8n } from './n8nProcess';

type Json = Record<string, unknown>;
type Check = (name: string, ok: boolean, detail?: string) => void;

export const TRIGGER_EXAMPLE_ID = 'growingio-trigger-example-1';
export const TRIGGER_CREDENTIAL = { id: 'growingio-cred-4', name: 'GrowingIO trigger sandbox' };
const TRIGGER_NODE = 'Raw Export Ready';
const WRITE_NODE = 'Store File';
const FIRST_DAY_AGO = 4;
/** n8n's log line for each poll (debug level, ActiveWorkflows.createPollExecuteFn): "Polling trigger" up to 2.8, "Poll trigger" in 2.41. */
const POLL_LOG = /Poll(?:ing)? trigger initiated for workflow/g;
/** The activation poll and two cron polls: the second cron poll finds nothing new. */
const POLLS_TO_SEE = 3;
const WAIT_LIMIT_MS = 200_000;

export function triggerCredential(sandbox: Sandbox) {
	return {
		...TRIGGER_CREDENTIAL,
		type: 'growingIoApi',
		data: { authentication: 'apiToken', apiToken: sandbox.apiToken, projectUid: sandbox.project.uid, projectId: sandbox.project.ai, baseUrl: sandbox.url, sessionToken: '' },
	};
}

/** The first day the example delivers, fixed once per run (a run may pass Beijing midnight). */
const FIRST_DAY = DateTime.now().setZone('Asia/Shanghai').startOf('day').minus({ days: FIRST_DAY_AGO });

interface WorkflowJson {
	nodes: Array<{ name: string; parameters?: unknown; credentials?: Record<string, { id: string; name: string }> }>;
}

/** Points the example at the trigger sandbox, polls every minute from 4 days back, writes into `filesDir`. */
export function prepareTriggerExample(workflow: WorkflowJson | undefined, filesDir: string) {
	if (!workflow) throw new Error(`examples: no workflow ${TRIGGER_EXAMPLE_ID}`);
	for (const node of workflow.nodes) {
		if (node.credentials?.growingIoApi) node.credentials.growingIoApi = { ...TRIGGER_CREDENTIAL };
		const parameters = node.parameters as Json;
		if (node.name === TRIGGER_NODE) {
			Object.assign(parameters, {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				startFrom: 'custom',
				startDate: FIRST_DAY.toISODate(),
				options: { maxChecks: 2 },
			});
		}
		if (node.name === WRITE_NODE) parameters.fileName = `=${filesDir}/{{ $json.fileName }}`;
	}
}

async function json<T>(url: string, token: string): Promise<T> {
	const response = await fetch(url, { headers: { Authorization: token } });
	return (await response.json()) as T;
}

/** Part files (name → CSV text) of every day export from First Period on that the oracle says is FINISHED. */
async function expectedFiles(oracle: Sandbox): Promise<Map<string, string>> {
	const files = new Map<string, string>();
	const today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
	for (let day = FIRST_DAY; day < today; day = day.plus({ days: 1 })) {
		const date = day.toFormat('yyyyMMdd');
		const body = await json<{ status: string; downloadLinks: string[] }>(`${oracle.url}/v2/insights/day/custom_event/${oracle.project.ai}/${date}.json?expire=60`, oracle.apiToken);
		if (body.status !== 'FINISHED') continue;
		for (const [part, link] of body.downloadLinks.entries()) {
			const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
			files.set(`custom_event_${date}_part-${String(part).padStart(5, '0')}.csv.gz`, gunzipSync(bytes).toString('utf8'));
		}
	}
	return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function countIn(file: string, pattern: RegExp): number {
	return fs.existsSync(file) ? (fs.readFileSync(file, 'utf8').match(pattern)?.length ?? 0) : 0;
}

export async function runTriggerExample(options: {
	env: NodeJS.ProcessEnv;
	cwd: string;
	logDir: string;
	filesDir: string;
	port: number;
	/** Its own pair (startRawExportSandboxes): the trigger's counts stay apart from the other examples'. */
	sandboxes: RawExportSandboxes;
	runStep: (step: string, args: string[]) => Promise<{ code: number | null }>;
	logs: string[];
	check: Check;
}): Promise<void> {
	const { sandbox, oracle } = options.sandboxes;
	const title = 'trigger: n8n start runs the published Raw Export Ready example';
	// n8n 1.x has no publish:workflow; there a workflow is activated instead.
	const publish = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${TRIGGER_EXAMPLE_ID}`] : ['update:workflow', `--id=${TRIGGER_EXAMPLE_ID}`, '--active=true'];
	const published = await options.runStep('publish-trigger', publish);
	if (published.code !== 0) return options.check(`${title}: ${publish[0]} exits 0`, false, `exit ${published.code}`);

	const env = { ...options.env, N8N_PORT: String(options.port), N8N_LOG_LEVEL: 'debug', N8N_RESTRICT_FILE_ACCESS_TO: options.filesDir };
	const started = Date.now();
	const { child, stdout, stderr, closeLogs } = spawnN8n('start', ['start'], env, options.cwd, options.logDir);
	options.logs.push(stdout, stderr);
	let polls = 0;
	try {
		while (Date.now() - started < WAIT_LIMIT_MS && child.exitCode === null) {
			polls = countIn(stdout, POLL_LOG) + countIn(stderr, POLL_LOG);
			if (polls >= POLLS_TO_SEE) break;
			await sleep(1000);
		}
		// The last poll's execution (if any) finishes within seconds.
		await sleep(5000);
	} finally {
		killN8n(child);
		closeLogs();
	}
	console.log(`e2e: n8n start with the trigger: ${((Date.now() - started) / 1000).toFixed(1)} s, ${polls} polls`);
	if (polls < POLLS_TO_SEE) {
		return options.check(`${title}: ${POLLS_TO_SEE} polls within ${WAIT_LIMIT_MS / 1000} s`, false, `saw ${polls}\n${fs.readFileSync(stdout, 'utf8').split('\n').slice(-40).join('\n')}`);
	}

	const expected = await expectedFiles(oracle);
	const written = fs.existsSync(options.filesDir) ? fs.readdirSync(options.filesDir).sort() : [];
	const wrong = written.filter((name) => {
		const text = gunzipSync(fs.readFileSync(path.join(options.filesDir, name))).toString('utf8');
		return expected.get(name) !== text;
	});
	const names = [...expected.keys()].sort();
	options.check(
		`${title}: ${polls} polls wrote the ${names.length} part files of every finished export from ${FIRST_DAY.toISODate()} on, as the sandbox serves them`,
		names.length >= 6 && JSON.stringify(written) === JSON.stringify(names) && wrong.length === 0,
		`written: ${written.join(', ') || 'none'}\nexpected: ${names.join(', ')}${wrong.length ? `\ndiffering: ${wrong.join(', ')}` : ''}`,
	);

	// Exactly once: each part fetched from storage once, each export's status asked once by the
	// trigger and once by the Download node, over all polls and executions.
	const storage = sandbox.requests.filter((r) => r.path.startsWith('/storage/'));
	const perPart = new Map<string, number>();
	for (const r of storage) perPart.set(r.path, (perPart.get(r.path) ?? 0) + 1);
	const repeated = [...perPart].filter(([, count]) => count !== 1);
	options.check(
		`${title}: each of ${perPart.size} parts downloaded exactly once (${storage.length} storage requests)`,
		perPart.size === names.length && repeated.length === 0,
		repeated.map(([p, c]) => `${p}: ${c}×`).join('\n') || `parts ${perPart.size}, expected ${names.length}`,
	);
	const dates = [...new Set(names.map((name) => name.split('_').at(-2) as string))];
	const asked = dates.map((date) => sandbox.requests.filter((r) => r.path.endsWith(`/custom_event/${sandbox.project.ai}/${date}0000.json`) || r.path.endsWith(`/custom_event/${sandbox.project.ai}/${date}.json`)).length);
	options.check(
		`${title}: each of ${dates.length} exports asked for twice (trigger, then Download), not once per poll`,
		asked.every((count) => count === 2),
		dates.map((date, i) => `${date}: ${asked[i]}×`).join(', '),
	);
	const most = sandbox.maxRequestsInAnyWindow(1000);
	options.check(`${title}: at most 2 requests in any 1 s window (saw ${most})`, most <= 2);
}
