/**
 * The SaferMe package (packages/n8n-nodes-saferme) in the real-n8n e2e, against its imitation:
 * one Email and Password credential and two workflows in the same execute-batch as GrowingIO's.
 *   - per state: Analytics → Get, Reports per State of channel 101 (picked From List), Last 30
 *     Days in Pacific/Auckland, Simplify;
 *   - channels: Channel → Get Many (Return All), then Reports per Week Day of each channel
 *     (By ID from the item, an expression), Last 30 Days, Simplify.
 * The expected rows are counted here from the imitation's stored reports, over the days this file
 * works out itself from the moment the imitation saw each request. Both workflows share the
 * credential: n8n logs in once and the second workflow reuses the stored session.
 */
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { DateTime } from 'luxon';

import { passwordCredentialData } from '../../packages/n8n-nodes-saferme/test/credentialData';
import { startSaferMeSandbox, type LoggedRequest, type SaferMeSandbox } from '../../packages/n8n-nodes-saferme/sandbox/server';
import { nodeItems, PACKAGES_DIR, type Check, type Json, type PackageE2e, type WorkflowFile } from './extraPackages';

const CREDENTIAL = { id: 'saferme-cred-1', name: 'SaferMe imitation' };
const NODE_TYPE = 'n8n-nodes-saferme.saferMe';
const STATES_WORKFLOW_ID = 'saferme-e2e-states-1';
const CHANNELS_WORKFLOW_ID = 'saferme-e2e-channels-1';
const STATES_CHANNEL = 101;
const STATES_ZONE = 'Pacific/Auckland';
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TRIGGER = "When clicking 'Execute workflow'";

function manualWorkflow(id: string, name: string, chain: Array<{ name: string; parameters: Json }>): WorkflowFile {
	const names = [TRIGGER, ...chain.map((node) => node.name)];
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: `${id}-node-0`, name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...chain.map((node, index) => ({
				id: `${id}-node-${index + 1}`,
				name: node.name,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220 * (index + 1), 0],
				parameters: node.parameters,
				credentials: { saferMeApi: { ...CREDENTIAL } },
			})),
		],
		connections: Object.fromEntries(names.slice(0, -1).map((from, index) => [from, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }])),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const WORKFLOWS = [
	manualWorkflow(STATES_WORKFLOW_ID, 'SaferMe: reports per state, last 30 days', [
		{
			name: 'Reports per State',
			parameters: {
				resource: 'analytics',
				operation: 'get',
				report: 'reports_per_state',
				channel: { __rl: true, mode: 'list', value: String(STATES_CHANNEL), cachedResultName: 'Site Hazards' },
				timeRange: 'last30Days',
				simplify: true,
				options: { timezone: STATES_ZONE },
			},
		},
	]),
	manualWorkflow(CHANNELS_WORKFLOW_ID, 'SaferMe: reports per week day of every channel', [
		{ name: 'Get Channels', parameters: { resource: 'channel', operation: 'getMany', returnAll: true, options: {} } },
		{
			name: 'Reports per Week Day',
			parameters: {
				resource: 'analytics',
				operation: 'get',
				report: 'reports_per_week_day',
				channel: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				timeRange: 'last30Days',
				simplify: true,
				options: { timezone: 'UTC' },
			},
		},
	]),
];

/** "Last 30 days" as this test reads it: the 30 whole days before the day of `at` in `zone`. */
function last30Days(at: number, zone: string): { start: Date; end: Date; query: { start_date: string; end_date: string } } {
	const today = DateTime.fromMillis(at, { zone }).startOf('day');
	const start = today.minus({ days: 30 });
	const iso = (moment: DateTime) => moment.toUTC().toISO({ suppressMilliseconds: true })!;
	return { start: start.toJSDate(), end: today.toJSDate(), query: { start_date: iso(start), end_date: iso(today) } };
}

function storedReports(sandbox: SaferMeSandbox, channel: number, start: Date, end: Date) {
	return sandbox.data.reports.filter((r) => r.channel_id === channel && r.created_at >= start && r.created_at < end);
}

/** The analytics request the imitation got for a channel, with its range checked against ours. */
function analyticsRequest(sandbox: SaferMeSandbox, report: string, channel: number, zone: string): { request?: LoggedRequest; range?: ReturnType<typeof last30Days>; problem?: string } {
	const requests = sandbox.requests.filter((r) => r.path === `/api/v4/analytics/${report}` && r.query.channel_id === String(channel));
	if (requests.length !== 1) return { problem: `channel ${channel}: ${requests.length} ${report} requests, expected 1` };
	const [request] = requests;
	const range = last30Days(request.at, zone);
	const sent = { start_date: request.query.start_date, end_date: request.query.end_date };
	if (!isDeepStrictEqual(sent, range.query)) return { problem: `channel ${channel}: asked for ${JSON.stringify(sent)}, last 30 days in ${zone} are ${JSON.stringify(range.query)}` };
	return { request, range };
}

function paired(item: { pairedItem?: unknown }): number | undefined {
	const p = (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem) as { item?: number } | number | undefined;
	return typeof p === 'number' ? p : p?.item;
}

function checkStates(sandbox: SaferMeSandbox, snapshot: Json | undefined, check: Check) {
	const title = `SaferMe per state: Reports per State of channel ${STATES_CHANNEL}, last 30 days in ${STATES_ZONE}, = the imitation's stored reports`;
	if (!snapshot) return check(title, false, `no successful snapshot of ${STATES_WORKFLOW_ID}`);
	const { range, problem } = analyticsRequest(sandbox, 'reports_per_state', STATES_CHANNEL, STATES_ZONE);
	if (!range) return check(title, false, problem);
	const reports = storedReports(sandbox, STATES_CHANNEL, range.start, range.end);
	const expected = sandbox.data.states.flatMap((state) => {
		const count = reports.filter((r) => r.state_id === state.id).length;
		return count ? [{ id: state.id, name: state.name, account_id: sandbox.teamId, report_count: count, state_name: state.name }] : [];
	});
	const actual = (nodeItems(snapshot, 'Reports per State') ?? []).map((item) => item.json);
	const ok = isDeepStrictEqual(actual, expected) && reports.length > 0;
	check(
		`${title} (${reports.length} reports in ${expected.length} states)`,
		ok,
		ok ? undefined : `got ${JSON.stringify(actual)}\nexpected ${JSON.stringify(expected)}`,
	);
}

function checkChannels(sandbox: SaferMeSandbox, snapshot: Json | undefined, check: Check) {
	const title = 'SaferMe channels: Channel → Get Many = the team\'s channels; Reports per Week Day of each = its stored reports, each row paired with its channel';
	if (!snapshot) return check(title, false, `no successful snapshot of ${CHANNELS_WORKFLOW_ID}`);
	const channels = sandbox.data.channels.filter((c) => c.team_id === sandbox.teamId);
	const listed = nodeItems(snapshot, 'Get Channels') ?? [];
	const problems: string[] = [];
	const listedView = listed.map((item) => [item.json.id, item.json.name, item.json.reports_count]);
	const channelView = channels.map((c) => [c.id, c.name, sandbox.data.reports.filter((r) => r.channel_id === c.id).length]);
	if (!isDeepStrictEqual(listedView, channelView)) problems.push(`Get Channels: got ${JSON.stringify(listedView)}, expected ${JSON.stringify(channelView)}`);
	const expected: Array<{ json: Json; item: number }> = [];
	let reportsCounted = 0;
	channels.forEach((channel, index) => {
		const { range, problem } = analyticsRequest(sandbox, 'reports_per_week_day', channel.id, 'UTC');
		if (!range) return void problems.push(problem!);
		const reports = storedReports(sandbox, channel.id, range.start, range.end);
		reportsCounted += reports.length;
		for (let dow = 0; dow < 7; dow++) {
			const count = reports.filter((r) => r.created_at.getUTCDay() === dow).length;
			if (count) expected.push({ json: { account_id: sandbox.teamId, dow, report_count: count, weekday: WEEKDAYS[dow] }, item: index });
		}
	});
	const rows = nodeItems(snapshot, 'Reports per Week Day') ?? [];
	const actual = rows.map((row) => ({ json: row.json, item: paired(row) }));
	if (problems.length === 0 && !isDeepStrictEqual(actual, expected)) problems.push(`Reports per Week Day: got ${JSON.stringify(actual)}\nexpected ${JSON.stringify(expected)}`);
	check(`${title} (${channels.length} channels, ${rows.length} rows, ${reportsCounted} reports)`, problems.length === 0 && reportsCounted > 0, problems.join('\n') || undefined);
}

function checkSession(sandbox: SaferMeSandbox, check: Check) {
	const requests = sandbox.requests;
	const logins = requests.filter((r) => r.path === '/api/v4/session' && r.method === 'POST');
	const refreshes = requests.filter((r) => r.path === '/api/v4/session' && r.method === 'PATCH');
	const api = requests.filter((r) => r.path !== '/api/v4/session');
	const refused = requests.filter((r) => r.status < 200 || r.status >= 300);
	const token = sandbox.sessions[0]?.accessToken;
	const unsigned = api.filter((r) => r.headers.authorization !== `Token token=${token}` || r.headers['x-teamid'] !== String(sandbox.teamId) || r.headers['x-appid'] !== sandbox.appId);
	const ok = logins.length === 1 && logins[0].status === 201 && refreshes.length === 0 && refused.length === 0 && unsigned.length === 0 && api.length > 0;
	check(
		`SaferMe session: one login (saw ${logins.length}) for both workflows, no refresh, all ${api.length} API requests signed with its token, X-AppId and X-TeamId, none refused`,
		ok,
		ok ? undefined : requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} -> ${r.status}`).join('\n'),
	);
}

export async function startSaferMeE2e(): Promise<PackageE2e> {
	const sandbox = await startSaferMeSandbox({ port: 0, quiet: true });
	return {
		name: 'n8n-nodes-saferme',
		dir: path.join(PACKAGES_DIR, 'n8n-nodes-saferme'),
		credentials: [
			{
				...CREDENTIAL,
				type: 'saferMeApi',
				data: passwordCredentialData(sandbox),
			},
		],
		workflows: WORKFLOWS.map((workflow) => ({ file: `(generated by test/e2e/saferMeExample.ts) ${workflow.id}.json`, workflow })),
		check(snapshots, check) {
			checkStates(sandbox, snapshots.get(STATES_WORKFLOW_ID), check);
			checkChannels(sandbox, snapshots.get(CHANNELS_WORKFLOW_ID), check);
			checkSession(sandbox, check);
		},
		secrets: () => [
			{ label: 'SaferMe password', value: sandbox.password },
			...sandbox.sessions.flatMap((session, index) => [
				{ label: `SaferMe access token #${index + 1}`, value: session.accessToken },
				{ label: `SaferMe refresh token #${index + 1}`, value: session.refreshToken },
			]),
		],
		close: () => sandbox.close(),
	};
}
