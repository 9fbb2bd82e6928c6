import { startOpenPanelSandbox, type OpenPanelSandbox, type StoredEvent } from './openpanel-sandbox/server';
import { credentialOf, everythingSaid, runOpenPanel } from './helpers/openPanelRun';

/** Insight → Get Overview / Active Users / Top Pages / Top Referrers through n8n's engine against the OpenPanel imitation. */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

let sandbox: OpenPanelSandbox;
beforeAll(async () => (sandbox = await startOpenPanelSandbox()));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const stored = (projectId: string, from: string, to: string, keep: (e: StoredEvent) => boolean = () => true) =>
	sandbox.events.filter((e) => e.projectId === projectId && e.createdAt.slice(0, 10) >= from && e.createdAt.slice(0, 10) <= to && keep(e));
const distinct = (events: StoredEvent[], key: (e: StoredEvent) => string) => new Set(events.map(key)).size;
const secrets = () => Object.values(sandbox.clients).map((c) => c.secret);

/** The sum of Chart → Get Data's counts of one event over a range, as a second opinion on the same events. */
async function chartTotal(event: string, segment: string, range: object): Promise<number> {
	const { json, error } = await runOpenPanel(credentialOf(sandbox), { resource: 'chart', operation: 'getData', series: { serie: [{ event, segment }] }, interval: 'day', ...range });
	expect(error).toBeUndefined();
	return json.reduce((sum, item) => sum + (item.count as number), 0);
}

describe('Insight → Get Overview', () => {
	const overview = (extra: object) => ({ resource: 'insight', operation: 'getOverview', ...extra });

	it("gives one item with yesterday's figures, the same sessions as Chart → Get Data counts", async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), overview({ range: 'yesterday' }));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(1);
		expect(Object.keys(json[0]).sort()).toEqual(
			['avg_session_duration', 'bounce_rate', 'endDate', 'startDate', 'total_revenue', 'total_screen_views', 'total_sessions', 'unique_visitors', 'views_per_session'].sort(),
		);
		const starts = stored('acme-web', day(1), day(1), (e) => e.name === 'session_start');
		expect(json[0].total_sessions).toBe(starts.length);
		expect(json[0].unique_visitors).toBe(distinct(starts, (e) => e.profileId));
		expect(json[0].total_screen_views).toBe(stored('acme-web', day(1), day(1), (e) => e.name === 'screen_view').length);
		expect([json[0].startDate, json[0].endDate]).toEqual([`${day(1)} 00:00:00`, `${day(1)} 23:59:59`]);
		expect(json[0].total_sessions).toBe(await chartTotal('session_start', 'event', { range: 'yesterday' }));
		expect(sandbox.requests[0].path).toBe('/insights/-/overview');
		expect(sandbox.requests[0].query).toEqual({ range: ['yesterday'], interval: ['day'] });
	});

	it('gives one item per day with Per Interval, oldest first, adding up to the totals', async () => {
		const range = { range: 'custom', startDate: day(6), endDate: day(1) };
		const perDay = await runOpenPanel(credentialOf(sandbox), overview({ ...range, output: 'perInterval' }));
		const totals = await runOpenPanel(credentialOf(sandbox), overview(range));
		expect(perDay.error).toBeUndefined();
		expect(perDay.json.map((i) => i.date)).toEqual([6, 5, 4, 3, 2, 1].map((d) => `${day(d)}T00:00:00.000Z`));
		expect(perDay.json.every((i) => i.interval === 'day')).toBe(true);
		const sum = (key: string) => perDay.json.reduce((total, i) => total + (i[key] as number), 0);
		expect(sum('total_sessions')).toBe(totals.json[0].total_sessions);
		expect(sum('total_screen_views')).toBe(totals.json[0].total_screen_views);
	});

	it("returns OpenPanel's answer as one item with Output Raw", async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), overview({ range: '7d', interval: 'week', output: 'raw' }));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(1);
		expect(Object.keys(json[0]).sort()).toEqual(['endDate', 'interval', 'series', 'startDate', 'summary']);
		expect(json[0].interval).toBe('week');
	});
});

describe('Insight → Get Active Users', () => {
	const activeUsers = (extra: object) => ({ resource: 'insight', operation: 'getActiveUsers', ...extra });

	it('gives the most recent days, oldest first, each with the distinct users of that day (as Chart → Get Data counts them)', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), activeUsers({ window: '1', limit: 3 }));
		expect(error).toBeUndefined();
		expect(json.map((i) => i.date)).toEqual([day(2), day(1), day(0)]);
		expect(json.map((i) => i.users)).toEqual([2, 1, 0].map((d) => distinct(stored('acme-web', day(d), day(d)), (e) => e.profileId)));
		expect(json[0]).toEqual({ date: day(2), users: json[0].users, windowDays: 1, label: 'DAU' });
		// Every sample session starts with session_start on the day of all its events.
		expect(json[1].users).toBe(await chartTotal('session_start', 'user', { range: 'yesterday' }));
		expect(sandbox.requests[0].query).toEqual({ days: ['1'] });
	});

	it('leaves out the days after today that OpenPanel adds for a window still open', async () => {
		const raw = await runOpenPanel(credentialOf(sandbox), activeUsers({ window: '7', simplify: false }));
		const series = (raw.json[0].series as Array<{ date: string }>).map((r) => r.date);
		expect(series.some((date) => date > day(0))).toBe(true);
		const { json, error } = await runOpenPanel(credentialOf(sandbox), activeUsers({ window: '7', returnAll: true }));
		expect(error).toBeUndefined();
		expect(json[json.length - 1].date).toBe(day(0));
		expect(json[json.length - 1].users).toBe(distinct(stored('acme-web', day(6), day(0)), (e) => e.profileId));
		expect(json.map((i) => i.date)).toEqual([...json.map((i) => i.date as string)].sort());
		expect(json[0]).toMatchObject({ windowDays: 7, label: 'WAU' });
	});

	it('sends a custom window in days', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), activeUsers({ window: 'custom', days: 3, limit: 1 }));
		expect(error).toBeUndefined();
		expect(json).toEqual([{ date: day(0), users: distinct(stored('acme-web', day(2), day(0)), (e) => e.profileId), windowDays: 3, label: '3d active' }]);
	});
});

describe('Insight → Get Top Pages and Get Top Referrers', () => {
	it('gives one item per page, most sessions first, whose page views add up to Chart → Get Data screen views', async () => {
		const all = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getTopPages', range: '7d', returnAll: true });
		expect(all.error).toBeUndefined();
		const views = stored('acme-web', day(6), day(0), (e) => e.name === 'screen_view');
		expect(all.json.map((p) => p.path).sort()).toEqual([...new Set(views.map((e) => e.path))].sort());
		const docs = all.json.find((p) => p.path === '/docs')!;
		expect(docs).toEqual({
			origin: 'https://acme-web.example.com',
			path: '/docs',
			url: 'https://acme-web.example.com/docs',
			sessions: distinct(views.filter((e) => e.path === '/docs'), (e) => e.sessionId),
			pageviews: views.filter((e) => e.path === '/docs').length,
			revenue: 0,
		});
		const sessions = all.json.map((p) => p.sessions as number);
		expect(sessions).toEqual([...sessions].sort((a, b) => b - a));
		expect(all.json.reduce((sum, p) => sum + (p.pageviews as number), 0)).toBe(await chartTotal('screen_view', 'event', { range: '7d' }));

		sandbox.resetRequests();
		const top2 = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getTopPages', range: '7d', limit: 2 });
		expect(top2.json).toEqual(all.json.slice(0, 2));
		expect(sandbox.requests[0].path).toBe('/insights/-/pages/top');
	});

	it("gives one item per referrer whose sessions add up to the overview's sessions (direct traffic named null)", async () => {
		const referrers = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getTopReferrers', range: 'yesterday', returnAll: true });
		expect(referrers.error).toBeUndefined();
		const starts = stored('acme-web', day(1), day(1), (e) => e.name === 'session_start');
		const expected = (name: string) => starts.filter((e) => e.referrerName === name).length;
		const byName = new Map(referrers.json.map((r) => [r.name, r.sessions]));
		expect(byName).toEqual(new Map([...new Set(starts.map((e) => e.referrerName))].map((name) => [name || null, expected(name)])));
		expect(referrers.json[0]).toEqual({ breakdown: 'referrer_name', name: referrers.json[0].name, sessions: referrers.json[0].sessions, pageviews: expect.any(Number), revenue: 0 });
		const overview = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getOverview', range: 'yesterday' });
		expect(referrers.json.reduce((sum, r) => sum + (r.sessions as number), 0)).toBe(overview.json[0].total_sessions);
		expect(sandbox.requests[0].query).toEqual({ breakdown: ['referrer_name'], range: ['yesterday'] });

		const types = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getTopReferrers', breakdown: 'referrer_type', range: 'yesterday', limit: 1 });
		expect(types.json).toHaveLength(1);
		expect(types.json[0].breakdown).toBe('referrer_type');
	});
});

describe('Insight → Get Retention', () => {
	it('gives one item per week (from Sunday), oldest first, with the users who were back the week after', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getRetention', returnAll: true });
		expect(error).toBeUndefined();
		const sunday = (iso: string) => {
			const at = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
			return new Date(at - new Date(at).getUTCDay() * DAY_MS).toISOString().slice(0, 10);
		};
		const weeks = new Map<string, Set<string>>();
		for (const e of sandbox.events.filter((x) => x.projectId === 'acme-web')) (weeks.get(sunday(e.createdAt)) ?? weeks.set(sunday(e.createdAt), new Set()).get(sunday(e.createdAt))!).add(e.profileId);
		const expected = [...weeks.keys()].sort().map((week) => {
			const next = weeks.get(new Date(Date.parse(`${week}T00:00:00Z`) + 7 * DAY_MS).toISOString().slice(0, 10)) ?? new Set();
			const retained = [...weeks.get(week)!].filter((p) => next.has(p)).length;
			return { date: week, active_users: weeks.get(week)!.size, retained_users: retained, retention: (100 * retained) / weeks.get(week)!.size };
		});
		expect(json).toEqual(expected);
		expect(sandbox.requests[0].path).toBe('/insights/-/retention');

		const latest = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', operation: 'getRetention', limit: 1 });
		expect(latest.json).toEqual(expected.slice(-1));
	});
});

describe('Insight parameters and clients', () => {
	it.each([
		[{ operation: 'getActiveUsers', window: 'custom', days: 91 }, 'Window (Days) must be a whole number from 1 to 90 (got "91")'],
		[{ operation: 'getActiveUsers', window: 'yearly' }, 'Window "yearly" is not one OpenPanel accepts'],
		[{ operation: 'getActiveUsers', limit: 0 }, 'Limit must be a whole number of at least 1 (got "0")'],
		[{ operation: 'getOverview', interval: 'minute' }, 'Interval "minute" is not one OpenPanel accepts'],
		[{ operation: 'getOverview', output: 'chart' }, 'Output "chart" is not one of totals, perInterval, raw'],
		[{ operation: 'getOverview', range: 'custom', startDate: day(1), endDate: day(3) }, `Start Date (${day(1)}) is after End Date (${day(3)})`],
		[{ operation: 'getTopReferrers', breakdown: 'twitter' }, 'Group By "twitter" is not one OpenPanel accepts'],
		[{ operation: 'getTopPages', range: 'last_7_days' }, 'Range "last_7_days" is not one OpenPanel accepts'],
	])('refuses %j before sending anything', async (parameters, message) => {
		const { error } = await runOpenPanel(credentialOf(sandbox), { resource: 'insight', ...parameters });
		expect(error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it("reads a root client's project given By ID or as a plain ID saved before the picker, and a read client's own project whatever the node says", async () => {
		const appViews = stored('acme-app', day(1), day(1), (e) => e.name === 'screen_view').length;
		const webViews = stored('acme-web', day(1), day(1), (e) => e.name === 'screen_view').length;
		expect(appViews).not.toBe(webViews);
		const parameters = { resource: 'insight', operation: 'getOverview', range: 'yesterday' };
		const byId = await runOpenPanel(credentialOf(sandbox, 'root'), { ...parameters, projectId: { __rl: true, mode: 'id', value: 'acme-app' } });
		const fromList = await runOpenPanel(credentialOf(sandbox, 'root'), { ...parameters, projectId: { __rl: true, mode: 'list', value: 'acme-app' } });
		const plain = await runOpenPanel(credentialOf(sandbox, 'root'), { ...parameters, projectId: 'acme-app' });
		const read = await runOpenPanel(credentialOf(sandbox, 'read'), { ...parameters, projectId: { __rl: true, mode: 'id', value: 'acme-app' } });
		expect([byId, fromList, plain, read].map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
		expect([byId, fromList, plain, read].map((r) => r.json[0].total_screen_views)).toEqual([appViews, appViews, appViews, webViews]);
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/insights/acme-app/overview', '/insights/acme-app/overview', '/insights/acme-app/overview', '/insights/acme-app/overview']);
		for (const result of [byId, fromList, plain, read]) for (const secret of secrets()) expect(everythingSaid(result)).not.toContain(secret);
	});

	it('explains a write client and never shows its secret', async () => {
		const result = await runOpenPanel(credentialOf(sandbox, 'write'), { resource: 'insight', operation: 'getTopPages', range: '7d' });
		expect(result.error?.message).toBe('OpenPanel refused the client: it is a write client, which can only track events (401: Export: Client is not allowed to export)');
		for (const secret of secrets()) expect(everythingSaid(result)).not.toContain(secret);
	});
});

describe('Project picker', () => {
	async function searchAs(client: keyof OpenPanelSandbox['clients'], filter?: string) {
		const { loadOptionsContext, singleNodeWorkflow, TestCredentialsHelper } = await import('../../../test/helpers/harness');
		const { OpenPanelApi } = await import('../credentials/OpenPanelApi.credentials');
		const { searchProjects } = await import('../nodes/OpenPanel/methods/listSearch');
		const workflow = singleNodeWorkflow('n8n-nodes-openpanel.openPanel', 'OpenPanel', 'openPanelApi', { resource: 'insight', operation: 'getOverview' });
		const context = loadOptionsContext(workflow, new TestCredentialsHelper({ openPanelApi: new OpenPanelApi() }, { openPanelApi: credentialOf(sandbox, client) }), 'OpenPanel', {});
		return await searchProjects.call(context, filter);
	}

	it("lists a root client's organization's projects from /manage/projects, by name, and filters them", async () => {
		expect((await searchAs('root')).results).toEqual([
			{ name: 'Acme mobile app (acme-app)', value: 'acme-app' },
			{ name: 'Acme website (acme-web)', value: 'acme-web' },
		]);
		expect((await searchAs('root', 'MOBILE')).results).toEqual([{ name: 'Acme mobile app (acme-app)', value: 'acme-app' }]);
		expect(sandbox.requests.map((r) => [r.path, r.status])).toEqual([
			['/manage/projects', 200],
			['/manage/projects', 200],
		]);
	});

	it("tells a read client that its project is fixed and that By ID or an empty Project works", async () => {
		const error = await searchAs('read').then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toBe("OpenPanel lists projects only for root clients; this client's project is fixed (401: Manage: Only root clients are allowed to manage resources)");
		expect(error?.description).toContain('leave Project empty, or choose By ID');
		for (const secret of secrets()) expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain(secret);
	});

	it("lists the event names of the project picked in the locator (the editor's current value is { mode, value })", async () => {
		const { loadOptionsContext, singleNodeWorkflow, TestCredentialsHelper } = await import('../../../test/helpers/harness');
		const { OpenPanelApi } = await import('../credentials/OpenPanelApi.credentials');
		const { getEventNames } = await import('../nodes/OpenPanel/methods/loadOptions');
		const workflow = singleNodeWorkflow('n8n-nodes-openpanel.openPanel', 'OpenPanel', 'openPanelApi', { resource: 'funnel', operation: 'get' });
		const current = { resource: 'funnel', operation: 'get', projectId: { __rl: true, mode: 'list', value: 'acme-app' } };
		const context = loadOptionsContext(workflow, new TestCredentialsHelper({ openPanelApi: new OpenPanelApi() }, { openPanelApi: credentialOf(sandbox, 'root') }), 'OpenPanel', current);
		expect((await getEventNames.call(context)).length).toBeGreaterThan(0);
		expect(sandbox.requests.map((r) => [r.path, r.status])).toEqual([['/insights/acme-app/events/names', 200]]);
	});

	it('paces /manage at 20 requests per 10 s on its own limiter, so OpenPanel never refuses one', async () => {
		const started = Date.now();
		for (let i = 0; i < 22; i++) await searchAs('root');
		const manage = sandbox.requests.filter((r) => r.path === '/manage/projects');
		expect(manage).toHaveLength(22);
		expect(manage.every((r) => r.status === 200)).toBe(true);
		expect(sandbox.maxRequestsInWindow(sandbox.clients.root.id)).toBeLessThanOrEqual(20);
		expect(manage[20].arrivedAt - manage[0].arrivedAt).toBeGreaterThanOrEqual(10_000);
		expect(Date.now() - started).toBeLessThan(16_000);
	}, 30_000);
});

describe('the imitation of these routes', () => {
	const get = async (path: string, client?: keyof OpenPanelSandbox['clients']) => {
		const headers: Record<string, string> = client ? { 'openpanel-client-id': sandbox.clients[client].id, 'openpanel-client-secret': sandbox.clients[client].secret } : {};
		const response = await fetch(`${sandbox.url}${path}`, { headers });
		return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get('retry-after') };
	};

	it('validates the query before authenticating, with 400 bodies like OpenPanel\'s', async () => {
		expect(await get('/insights/acme-web/active_users?days=91')).toMatchObject({ status: 400, body: { status: 400, error: 'Error', message: 'querystring/days Too big: expected number to be <=90' } });
		expect((await get('/insights/acme-web/traffic/referrers?breakdown=twitter')).body.message).toMatch(/^querystring\/breakdown Invalid option/);
		expect((await get('/insights/acme-web/overview?interval=minute')).status).toBe(400);
		expect(await get('/insights/acme-web/pages/top?range=7d')).toMatchObject({ status: 401, body: { error: 'Unauthorized', message: 'Export: Client ID must be a valid UUIDv4' } });
	});

	it('refuses /manage/projects to read clients and a 21st request of a client within 10 s', async () => {
		expect(await get('/manage/projects', 'read')).toMatchObject({ status: 401, body: { message: 'Manage: Only root clients are allowed to manage resources' } });
		const answers = [];
		for (let i = 0; i < 21; i++) answers.push(await get('/manage/projects', 'root'));
		expect(answers.slice(0, 20).every((a) => a.status === 200)).toBe(true);
		expect(answers[20]).toMatchObject({ status: 429, body: { status: 429, error: 'Too Many Requests', message: 'You have exceeded the rate limit for this endpoint.' }, retryAfter: '10' });
		expect((answers[0].body.data as Array<{ id: string }>).map((p) => p.id).sort()).toEqual(['acme-app', 'acme-web']);
	});
});
