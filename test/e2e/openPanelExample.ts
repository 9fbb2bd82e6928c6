/**
 * The OpenPanel package (packages/n8n-nodes-openpanel) in the real-n8n e2e, against its imitation:
 * one read-client credential and four workflows in the same execute-batch as GrowingIO's.
 *   - the package's two examples, each with its Schedule Trigger swapped for a Manual Trigger and
 *     its last node (Slack, Google Sheets: accounts outside this machine) left out: yesterday's
 *     active users and signups through the example's Code node, yesterday's signups and purchases
 *     through its Set node;
 *   - operations: Event → Get Many (Return All over the last 7 days, two pages of up to 1000),
 *     Chart → Get Data (two series broken down by country) and Funnel → Get (four steps), three
 *     branches of one Manual Trigger;
 *   - an HTTP Request node with the OpenPanel credential aimed at another host: the credential
 *     refuses to sign it, so that host never sees the client ID or secret.
 * Expected items are counted here from the imitation's stored events (not from its answers).
 */
import * as fs from 'fs';
import { createServer, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';

import { exportOrder, funnel } from '../../packages/n8n-nodes-openpanel/test/openpanel-sandbox/analytics';
import { startOpenPanelSandbox, type OpenPanelSandbox, type RecordedRequest, type StoredEvent } from '../../packages/n8n-nodes-openpanel/test/openpanel-sandbox/server';
import { nodeItems, PACKAGES_DIR, type Check, type Json, type PackageE2e, type WorkflowFile } from './extraPackages';

const PACKAGE_DIR = path.join(PACKAGES_DIR, 'n8n-nodes-openpanel');
/** The credential the examples name. */
const CREDENTIAL = { id: 'openpanel-cred-1', name: 'OpenPanel read client' };
const NODE_TYPE = 'n8n-nodes-openpanel.openPanel';
const SLACK_EXAMPLE_ID = 'openpanel-example-1';
const SHEETS_EXAMPLE_ID = 'openpanel-example-2';
const OPERATIONS_WORKFLOW_ID = 'openpanel-e2e-operations-1';
const ELSEWHERE_WORKFLOW_ID = 'openpanel-e2e-elsewhere-1';
/** Nodes that need an account outside this machine; the examples run up to the node before them. */
const OUTSIDE_NODES = ['n8n-nodes-base.slack', 'n8n-nodes-base.googleSheets'];
/** Twice the default sample: the 7-day Return All then needs two pages of 1000. */
const SESSIONS_PER_DAY = 48;
const RATE_LIMIT = 100;
const RATE_WINDOW_MS = 10_000;
const DAY_MS = 86_400_000;
const TRIGGER = "When clicking 'Execute workflow'";
const FUNNEL_STEPS = ['session_start', 'sign_up', 'add_to_cart', 'purchase'];
const CHART_SERIES = [
	{ event: 'sign_up', segment: 'event' },
	{ event: 'session_start', segment: 'user' },
];

/** An example with a Manual Trigger in place of its Schedule Trigger and without the nodes that need outside accounts. */
function runnableExample(file: string): WorkflowFile {
	const workflow = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'examples', file), 'utf8')) as WorkflowFile & { connections: Record<string, { main: Array<Array<{ node: string }>> }> };
	const dropped = new Set(workflow.nodes.filter((node) => OUTSIDE_NODES.includes(node.type)).map((node) => node.name));
	workflow.nodes = workflow.nodes
		.filter((node) => !dropped.has(node.name))
		.map((node) => (node.type === 'n8n-nodes-base.scheduleTrigger' ? { ...node, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} } : node));
	for (const name of dropped) delete workflow.connections[name];
	for (const outputs of Object.values(workflow.connections)) {
		outputs.main = outputs.main.map((targets) => targets.filter((target) => !dropped.has(target.node)));
	}
	if (!workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')) throw new Error(`examples/${file}: no Schedule Trigger to start it by hand`);
	return workflow;
}

function manualNode(id: string) {
	return { id: `${id}-node-0`, name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** Manual Trigger → each node as its own branch. */
function branchesWorkflow(id: string, name: string, branches: Array<Json & { name: string; type: string }>): WorkflowFile {
	return {
		id,
		name,
		active: false,
		nodes: [
			manualNode(id),
			...branches.map((node, index) => ({
				id: `${id}-node-${index + 1}`,
				typeVersion: 1,
				position: [220, 200 * index],
				credentials: { openPanelApi: { ...CREDENTIAL } },
				...node,
			})),
		],
		connections: { [TRIGGER]: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const utcDay = (daysAgo: number) => `={{ $now.toUTC().minus({ days: ${daysAgo} }).toISODate() }}`;

function operationsWorkflow(): WorkflowFile {
	return branchesWorkflow(OPERATIONS_WORKFLOW_ID, 'OpenPanel: events, chart and funnel of the last 7 days', [
		{
			name: 'All Events',
			type: NODE_TYPE,
			parameters: { resource: 'event', operation: 'getMany', startDate: utcDay(6), endDate: utcDay(0), returnAll: true },
		},
		{
			name: 'By Country',
			type: NODE_TYPE,
			parameters: { resource: 'chart', operation: 'getData', series: { serie: CHART_SERIES }, breakdowns: 'country', interval: 'day', range: '7d', simplify: true },
		},
		{
			name: 'Purchase Funnel',
			type: NODE_TYPE,
			parameters: {
				resource: 'funnel',
				operation: 'get',
				steps: { step: FUNNEL_STEPS.map((event) => ({ event })) },
				windowHours: 24,
				groupBy: 'session_id',
				range: 'custom',
				startDate: utcDay(6),
				endDate: utcDay(0),
			},
		},
	]);
}

/** n8n's HTTP Request node signing a request to another host with the OpenPanel credential. */
function elsewhereWorkflow(elsewhereUrl: string): WorkflowFile {
	return branchesWorkflow(ELSEWHERE_WORKFLOW_ID, 'OpenPanel credential on a request to another host', [
		{
			name: 'Other Host',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			onError: 'continueRegularOutput',
			parameters: { url: `${elsewhereUrl}/export/events`, authentication: 'predefinedCredentialType', nodeCredentialType: 'openPanelApi', options: {} },
		},
	]);
}

/** A plain server standing for any host other than the credential's; records the headers it got. */
async function startElsewhere(): Promise<{ url: string; seen: IncomingMessage['headers'][]; close(): Promise<void> }> {
	const seen: IncomingMessage['headers'][] = [];
	const server = createServer((req, res) => {
		seen.push(req.headers);
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

// ---------------------------------------------------------------------------------------------
// What the imitation's stored events say, counted here.

const dayOf = (event: StoredEvent) => event.createdAt.slice(0, 10);
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The first request the imitation saw that passes `test`, and the UTC day `daysAgo` before its
 * arrival (the workflows work their days out when they run, so the check does the same).
 */
function requestAndDay(sandbox: OpenPanelSandbox, test: (r: RecordedRequest) => boolean, daysAgo: number): { request?: RecordedRequest; day?: string } {
	const request = sandbox.requests.find(test);
	return { request, day: request ? isoDay(request.arrivedAt - daysAgo * DAY_MS) : undefined };
}

function ownEvents(sandbox: OpenPanelSandbox): StoredEvent[] {
	return sandbox.events.filter((e) => e.projectId === sandbox.clients.read.projectId);
}

function users(events: StoredEvent[]): number {
	return new Set(events.map((e) => e.profileId)).size;
}

function describe(items: unknown[], expected: unknown[]): string {
	const index = items.findIndex((item, i) => !isDeepStrictEqual(item, expected[i]));
	return `got ${items.length} items, expected ${expected.length}; first difference at ${index}: ${JSON.stringify(items[index])} vs ${JSON.stringify(expected[index])}`;
}

function checkSlackExample(sandbox: OpenPanelSandbox, snapshot: Json | undefined, check: Check) {
	const title = "OpenPanel example 1: yesterday's active users and signups (with the day before) = the stored events, and the Code node's message";
	if (!snapshot) return check(title, false, `no successful snapshot of ${SLACK_EXAMPLE_ID}`);
	const isChart = (r: RecordedRequest) => r.path === '/export/charts' && r.query.range?.[0] === 'yesterday';
	const yesterday = requestAndDay(sandbox, isChart, 1).day;
	const dayBefore = requestAndDay(sandbox, isChart, 2).day;
	const on = (day: string | undefined, name: string) => ownEvents(sandbox).filter((e) => e.name === name && dayOf(e) === day);
	const expected = [
		{ series: 'session_start', event: 'session_start', date: `${yesterday} 00:00:00`, count: users(on(yesterday, 'session_start')), previousCount: users(on(dayBefore, 'session_start')) },
		{ series: 'sign_up', event: 'sign_up', date: `${yesterday} 00:00:00`, count: on(yesterday, 'sign_up').length, previousCount: on(dayBefore, 'sign_up').length },
	];
	const items = (nodeItems(snapshot, 'Users and Signups Yesterday') ?? []).map((item) => item.json);
	const text = `Active users: ${expected[0].count} (day before: ${expected[0].previousCount})\nSignups: ${expected[1].count} (day before: ${expected[1].previousCount})`;
	const messages = (nodeItems(snapshot, 'One Message') ?? []).map((item) => item.json.text);
	const problems = [
		...(isDeepStrictEqual(items, expected) ? [] : [describe(items, expected)]),
		...(isDeepStrictEqual(messages, [text]) ? [] : [`message ${JSON.stringify(messages)}, expected ${JSON.stringify([text])}`]),
		...(expected[0].count > 0 && expected[1].count > 0 ? [] : ['the imitation has no such events yesterday: nothing was compared']),
	];
	check(`${title} (${JSON.stringify(text)})`, problems.length === 0, problems.join('\n') || undefined);
}

function checkSheetsExample(sandbox: OpenPanelSandbox, snapshot: Json | undefined, check: Check) {
	const title = "OpenPanel example 2: yesterday's signups and purchases as sheet rows = the stored events, newest first";
	if (!snapshot) return check(title, false, `no successful snapshot of ${SHEETS_EXAMPLE_ID}`);
	const { request, day: yesterday } = requestAndDay(sandbox, (r) => r.path === '/export/events' && (r.query.event ?? []).includes('sign_up'), 1);
	if (request?.query.start?.[0] !== yesterday || request?.query.end?.[0] !== yesterday) {
		return check(title, false, `asked for ${request?.query.start?.[0]} to ${request?.query.end?.[0]}, yesterday (UTC) was ${yesterday}`);
	}
	const events = ownEvents(sandbox)
		.filter((e) => ['sign_up', 'purchase'].includes(e.name) && dayOf(e) === yesterday)
		.sort(exportOrder);
	const expected = events.map((e) => ({
		time: e.createdAt,
		event: e.name,
		profile: e.profileId,
		country: e.country,
		referrer: e.referrerName,
		amount: String(e.properties.amount ?? ''),
		'event id': e.id,
	}));
	const rows = (nodeItems(snapshot, 'Rows') ?? []).map((item) => item.json);
	const ok = isDeepStrictEqual(rows, expected) && expected.some((row) => row.amount !== '');
	check(`${title} (${rows.length} rows)`, ok, ok ? undefined : describe(rows, expected));
}

function checkOperations(sandbox: OpenPanelSandbox, snapshot: Json | undefined, check: Check) {
	const title = 'OpenPanel operations';
	if (!snapshot) return check(title, false, `no successful snapshot of ${OPERATIONS_WORKFLOW_ID}`);
	const { request, day: start } = requestAndDay(sandbox, (r) => r.path === '/export/events' && !r.query.event, 6);
	if (!start || request?.query.start?.[0] !== start) return check(title, false, `All Events asked for ${request?.query.start?.[0]} to ${request?.query.end?.[0]}, 6 days ago (UTC) was ${start}`);
	const inRange = ownEvents(sandbox).filter((e) => dayOf(e) >= start);

	// Event → Get Many, Return All: every event of the 7 days once, in OpenPanel's order, in pages of 1000.
	{
		const expected = [...inRange].sort(exportOrder).map((e) => [e.id, e.name, e.createdAt, e.profileId, e.sessionId, e.path]);
		const items = (nodeItems(snapshot, 'All Events') ?? []).map(({ json }) => [json.id, json.name, json.createdAt, json.profileId, json.sessionId, json.path]);
		const pages = sandbox.requests.filter((r) => r.path === '/export/events' && r.query.start?.[0] === start).map((r) => `page ${r.query.page?.[0]} limit ${r.query.limit?.[0]}`);
		const ok = isDeepStrictEqual(items, expected) && isDeepStrictEqual(pages, ['page 1 limit 1000', 'page 2 limit 1000']);
		check(`${title}: Event → Get Many (Return All) = the ${expected.length} stored events of ${start} to today, newest first, read in ${pages.join(', ')}`, ok, ok ? undefined : `${describe(items, expected)}\npages: ${pages.join(', ')}`);
	}

	// Chart → Get Data: the non-zero buckets are the stored counts per series, country and day.
	{
		const expected: Json[] = [];
		for (const { event, segment } of CHART_SERIES) {
			const chosen = inRange.filter((e) => e.name === event);
			for (const country of [...new Set(chosen.map((e) => e.country))]) {
				for (const day of [...new Set(chosen.filter((e) => e.country === country).map(dayOf))]) {
					const bucket = chosen.filter((e) => e.country === country && dayOf(e) === day);
					expected.push({ series: `${event} / ${country}`, event, breakdowns: { country }, date: `${day} 00:00:00`, count: segment === 'user' ? users(bucket) : bucket.length });
				}
			}
		}
		const key = (item: Json) => `${String(item.series)} ${String(item.date)}`;
		expected.sort((a, b) => key(a).localeCompare(key(b)));
		const items = (nodeItems(snapshot, 'By Country') ?? []).map((item) => item.json);
		const nonZero = items.filter((item) => item.count !== 0).sort((a, b) => key(a).localeCompare(key(b)));
		const strays = items.filter((item) => item.count === 0 && !(String(item.date) >= `${start} 00:00:00`));
		const ok = isDeepStrictEqual(nonZero, expected) && strays.length === 0 && expected.length > 0;
		check(
			`${title}: Chart → Get Data, sign_up events and session_start users by country, 7 days = the stored counts (${nonZero.length} non-zero buckets of ${items.length} items)`,
			ok,
			ok ? undefined : `${describe(nonZero, expected)}${strays.length ? `\nempty buckets outside the range: ${JSON.stringify(strays)}` : ''}`,
		);
	}

	// Funnel → Get: one item per step, users counted here for the first step, drop-off and totals beside each.
	{
		const computed = funnel(inRange, FUNNEL_STEPS, 24 * 3_600_000, 'session_id');
		const totals = { totalUsers: computed.totalUsers, completedUsers: computed.completedUsers, overallConversionRate: computed.overallConversionRate };
		const expected = computed.steps.map((step, index) => ({ ...step, dropoffUsers: index ? computed.steps[index - 1].users - step.users : 0, ...totals }));
		const items = (nodeItems(snapshot, 'Purchase Funnel') ?? []).map((item) => item.json);
		const sessions = new Set(inRange.filter((e) => e.name === FUNNEL_STEPS[0]).map((e) => e.sessionId)).size;
		const ok = isDeepStrictEqual(items, expected) && items[0]?.users === sessions && computed.completedUsers > 0;
		check(
			`${title}: Funnel → Get, ${FUNNEL_STEPS.join(' → ')} by session = the stored events (users ${computed.steps.map((s) => s.users).join(' → ')}, ${sessions} sessions started)`,
			ok,
			ok ? undefined : describe(items, expected),
		);
	}
}

function checkElsewhere(snapshot: Json | undefined, sandbox: OpenPanelSandbox, seen: IncomingMessage['headers'][], check: Check) {
	const title = 'OpenPanel credential on an HTTP Request node to another host: refused before sending, that host saw no client ID or secret';
	if (!snapshot) return check(title, false, `no successful snapshot of ${ELSEWHERE_WORKFLOW_ID}`);
	const items = (nodeItems(snapshot, 'Other Host') ?? []).map((item) => item.json);
	const said = JSON.stringify(items);
	const signed = seen.filter((headers) => 'openpanel-client-id' in headers || 'openpanel-client-secret' in headers || JSON.stringify(headers).includes(sandbox.clients.read.secret));
	const ok = signed.length === 0 && items.length === 1 && said.includes(`only sent to ${sandbox.url}`);
	check(`${title} (${seen.length} requests reached it)`, ok, ok ? undefined : `output ${said.slice(0, 500)}; ${signed.length} signed requests`);
}

function checkImitation(sandbox: OpenPanelSandbox, check: Check) {
	const { id, secret } = sandbox.clients.read;
	const host = new URL(sandbox.url).host;
	const requests = sandbox.requests;
	const unsigned = requests.filter((r) => r.headers['openpanel-client-id'] !== id || r.headers['openpanel-client-secret'] !== secret || r.headers.host !== host);
	const refused = requests.filter((r) => r.status !== 200);
	const most = sandbox.maxRequestsInWindow(id);
	const first = requests[0]?.arrivedAt ?? 0;
	const ok = requests.length > 0 && unsigned.length === 0 && refused.length === 0 && most <= RATE_LIMIT;
	check(
		`OpenPanel imitation: all ${requests.length} requests to ${host} carried the read client's ID and secret, none refused (${refused.filter((r) => r.status === 429).length} × 429), at most ${most} of ${RATE_LIMIT} in any ${RATE_WINDOW_MS / 1000} s`,
		ok,
		ok ? undefined : requests.map((r) => `+${String(r.arrivedAt - first).padStart(6)} ms ${r.path} ${JSON.stringify(r.query)} host ${r.headers.host} -> ${r.status}`).join('\n'),
	);
}

export async function startOpenPanelE2e(): Promise<PackageE2e> {
	const sandbox = await startOpenPanelSandbox({ port: 0, sessionsPerDay: SESSIONS_PER_DAY, rateLimit: RATE_LIMIT, rateWindowMs: RATE_WINDOW_MS });
	const elsewhere = await startElsewhere();
	const examples = fs.readdirSync(path.join(PACKAGE_DIR, 'examples')).filter((file) => file.endsWith('.workflow.json')).sort();
	const workflows = [
		...examples.map((file) => ({ file: `(from packages/n8n-nodes-openpanel/examples, by hand, without Slack/Google Sheets) ${file}`, workflow: runnableExample(file) })),
		...[operationsWorkflow(), elsewhereWorkflow(elsewhere.url)].map((workflow) => ({ file: `(generated by test/e2e/openPanelExample.ts) ${workflow.id}.json`, workflow })),
	];
	for (const id of [SLACK_EXAMPLE_ID, SHEETS_EXAMPLE_ID]) {
		if (!workflows.some(({ workflow }) => workflow.id === id)) throw new Error(`packages/n8n-nodes-openpanel/examples: no workflow ${id}`);
	}
	return {
		name: 'n8n-nodes-openpanel',
		dir: PACKAGE_DIR,
		credentials: [
			{
				...CREDENTIAL,
				type: 'openPanelApi',
				data: { baseUrl: sandbox.url, clientId: sandbox.clients.read.id, clientSecret: sandbox.clients.read.secret, projectId: '' },
			},
		],
		workflows,
		check(snapshots, check) {
			checkSlackExample(sandbox, snapshots.get(SLACK_EXAMPLE_ID), check);
			checkSheetsExample(sandbox, snapshots.get(SHEETS_EXAMPLE_ID), check);
			checkOperations(sandbox, snapshots.get(OPERATIONS_WORKFLOW_ID), check);
			checkElsewhere(snapshots.get(ELSEWHERE_WORKFLOW_ID), sandbox, elsewhere.seen, check);
			checkImitation(sandbox, check);
		},
		secrets: () => [{ label: 'OpenPanel client secret', value: sandbox.clients.read.secret }],
		close: async () => {
			await sandbox.close();
			await elsewhere.close();
		},
	};
}
