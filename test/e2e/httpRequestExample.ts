/**
 * e2e of the GrowingIO credential in n8n's own HTTP Request node (Authentication "Predefined
 * Credential Type" → GrowingIO API): http-request-charts.workflow.json GETs 10 v2 charts, once
 * with an API token and once with a key pair, against a sandbox of its own so that its logins
 * and its pacing are counted apart from the other workflows.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { startSandbox, type Sandbox } from '../../sandbox/server';

type Json = Record<string, unknown>;
type Check = (name: string, ok: boolean, detail?: string) => void;

interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<Json & { name: string; type: string; parameters?: Json; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

const FIXTURE = path.join(__dirname, 'http-request-charts.workflow.json');
const NODE_NAME = 'GrowingIO API Call';
/** The address in the fixture is GrowingIO's own; the e2e points it at the sandbox. */
const GROWINGIO_ORIGIN = 'https://www.growingio.com';

const RUNS = [
	{ workflowId: 'growingio-e2e-http-request-1', credential: { id: 'growingio-cred-5', name: 'GrowingIO HTTP Request sandbox (token)' }, mode: 'apiToken' as const },
	{ workflowId: 'growingio-e2e-http-request-2', credential: { id: 'growingio-cred-6', name: 'GrowingIO HTTP Request sandbox (key pair)' }, mode: 'keyPair' as const },
];

export async function startHttpRequestSandbox(): Promise<Sandbox> {
	return await startSandbox({ port: 0, quiet: true });
}

/** Import entries for the two credentials the workflows run with. */
export function httpRequestCredentials(sandbox: Sandbox) {
	const common = { projectUid: sandbox.project.uid, projectId: sandbox.project.ai, baseUrl: sandbox.url, sessionToken: '' };
	return RUNS.map(({ credential, mode }) => ({
		...credential,
		type: 'growingIoApi',
		data:
			mode === 'apiToken'
				? { authentication: 'apiToken', apiToken: sandbox.apiToken, ...common }
				: { authentication: 'keyPair', publicKey: sandbox.project.publicKey, privateKey: sandbox.project.privateKey, ...common },
	}));
}

/** The fixture twice (token, key pair), its URL on the sandbox. */
export function httpRequestWorkflows(sandbox: Sandbox): Array<{ file: string; workflow: WorkflowFile }> {
	const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as WorkflowFile;
	return RUNS.map(({ workflowId, credential, mode }) => {
		const workflow: WorkflowFile = JSON.parse(JSON.stringify(fixture));
		workflow.id = workflowId;
		workflow.name = `${fixture.name} (${mode === 'apiToken' ? 'API token' : 'key pair'})`;
		for (const node of workflow.nodes) {
			if (workflowId !== fixture.id) node.id = randomUUID();
			if (node.name !== NODE_NAME) continue;
			const url = String(node.parameters?.url);
			if (!url.startsWith(`=${GROWINGIO_ORIGIN}/`)) throw new Error(`${FIXTURE}: "${NODE_NAME}" URL ${url} is not on ${GROWINGIO_ORIGIN}`);
			node.parameters = { ...node.parameters, url: url.replace(GROWINGIO_ORIGIN, sandbox.url) };
			node.credentials = { growingIoApi: { ...credential } };
		}
		return { file: `(from test/e2e/${path.basename(FIXTURE)}) ${workflowId}.json`, workflow };
	});
}

function output(snapshot: Json, nodeName: string): Array<{ json: Json }> {
	const data = snapshot.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }>> } }>> } };
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

function chartIdsOf(workflows: Array<{ workflow: WorkflowFile }>): string[] {
	const set = workflows[0].workflow.nodes.find((node) => node.type === 'n8n-nodes-base.set');
	return (JSON.parse(String(set?.parameters?.jsonOutput)) as { chartId: string[] }).chartId;
}

export function checkHttpRequestExample(snapshots: Map<string, Json>, sandbox: Sandbox, check: Check) {
	const chartIds = chartIdsOf(httpRequestWorkflows(sandbox));
	const expectedPaths = chartIds.map((id) => `/v2/projects/${sandbox.project.uid}/charts/${id}.json`).sort();
	const requests = sandbox.requests;

	for (const { workflowId, mode } of RUNS) {
		const label = mode === 'apiToken' ? 'API token' : 'key pair';
		const title = `HTTP Request node, ${label}: ${chartIds.length} chart items each came back with rows`;
		const snapshot = snapshots.get(workflowId);
		if (!snapshot) {
			check(title, false, `no successful snapshot of ${workflowId}`);
			continue;
		}
		const items = output(snapshot, NODE_NAME);
		const problems = items.flatMap((item, index) => {
			const { meta, data } = item.json as { meta?: unknown; data?: unknown };
			return Array.isArray(meta) && meta.length > 0 && Array.isArray(data) && data.length > 0 ? [] : [`item ${index}: ${JSON.stringify(item.json).slice(0, 200)}`];
		});
		if (items.length !== chartIds.length) problems.unshift(`${items.length} items, expected ${chartIds.length}`);
		const rows = items.reduce((sum, item) => sum + ((item.json.data as unknown[] | undefined)?.length ?? 0), 0);
		check(`${title} (${rows} rows)`, problems.length === 0, problems.join('\n') || undefined);

		const authorizedWith = mode === 'apiToken' ? 'apiToken' : 'keyPairCode';
		const sent = requests.filter((r) => r.authorizedWith === authorizedWith);
		const ok = sent.length === chartIds.length && sent.every((r) => r.status === 200) && isDeepEqual(sent.map((r) => r.path).sort(), expectedPaths);
		check(
			`HTTP Request node, ${label}: the sandbox saw the ${mode === 'apiToken' ? 'bare API token' : 'key-pair code'} on all ${sent.length} chart requests`,
			ok,
			ok ? undefined : JSON.stringify(sent.map((r) => [r.path, r.status])),
		);
	}

	const logins = requests.filter((r) => r.method === 'POST' && r.path === '/auth/token');
	check(
		`HTTP Request node, key pair: exactly one login for ${chartIds.length} items (saw ${logins.length})`,
		logins.length === 1 && logins[0].status === 200,
		logins.length === 1 ? undefined : JSON.stringify(logins),
	);

	const api = requests.filter((r) => r.countsTowardLimit);
	const most = sandbox.maxRequestsInAnyWindow(1000);
	const refused = api.filter((r) => r.status !== 200);
	const first = api[0]?.arrivedAt ?? 0;
	check(
		`HTTP Request node: ${api.length} requests paced, at most 2 starts in any second (saw ${most}), ${refused.filter((r) => r.status === 429).length} × 429, none refused`,
		most <= 2 && refused.length === 0 && api.length === 2 * chartIds.length,
		most <= 2 && refused.length === 0 ? undefined : api.map((r) => `+${String(Math.round(r.arrivedAt - first)).padStart(5)} ms ${r.path} -> ${r.status}`).join('\n'),
	);
}

function isDeepEqual(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((value, index) => value === b[index]);
}
