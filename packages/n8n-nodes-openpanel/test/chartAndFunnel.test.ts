import { funnel } from './openpanel-sandbox/analytics';
import { startOpenPanelSandbox, type OpenPanelSandbox } from './openpanel-sandbox/server';
import { credentialOf, runOpenPanel } from './helpers/openPanelRun';

/** Chart → Get Data and Funnel → Get through n8n's engine against the OpenPanel imitation. */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

let sandbox: OpenPanelSandbox;
beforeAll(async () => (sandbox = await startOpenPanelSandbox()));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const webEvents = (name: string, from: string, to: string) =>
	sandbox.events.filter((e) => e.projectId === 'acme-web' && e.name === name && e.createdAt.slice(0, 10) >= from && e.createdAt.slice(0, 10) <= to);

describe('Chart → Get Data', () => {
	const chart = (extra: object) => ({ resource: 'chart', operation: 'getData', series: { serie: [{ event: 'sign_up', segment: 'event' }] }, interval: 'day', ...extra });

	it('gives one item per series per day whose counts match the stored events (custom range)', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), chart({ range: 'custom', startDate: day(6), endDate: day(1) }));
		expect(error).toBeUndefined();
		expect(json.map((i) => i.date)).toEqual([6, 5, 4, 3, 2, 1].map((d) => `${day(d)} 00:00:00`));
		expect(json.map((i) => i.count)).toEqual([6, 5, 4, 3, 2, 1].map((d) => webEvents('sign_up', day(d), day(d)).length));
		expect(json[0]).toEqual({ series: 'sign_up', event: 'sign_up', date: `${day(6)} 00:00:00`, count: json[0].count });
		const sent = sandbox.requests[0].query;
		expect(JSON.parse(sent.series[0])).toEqual([{ name: 'sign_up', segment: 'event', filters: [] }]);
		expect([sent.range[0], sent.startDate[0], sent.endDate[0]]).toEqual(['custom', `${day(6)}T00:00:00`, `${day(1)}T23:59:59`]);
	});

	it('counts distinct users per country with a breakdown, and the previous period beside each bucket', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), chart({ series: { serie: [{ event: 'screen_view', segment: 'user' }] }, breakdowns: 'country', range: '7d', previous: true }));
		expect(error).toBeUndefined();
		const germany = json.filter((i) => (i.breakdowns as { country: string }).country === 'DE');
		expect(germany.length).toBeGreaterThan(0);
		expect(germany[0].series).toBe('screen_view / DE');
		const total = germany.reduce((sum, i) => sum + (i.count as number), 0);
		const expected = [...Array(7).keys()].reduce((sum, d) => sum + new Set(webEvents('screen_view', day(d), day(d)).filter((e) => e.country === 'DE').map((e) => e.profileId)).size, 0);
		expect(total).toBe(expected);
		expect(germany.every((i) => typeof i.previousCount === 'number')).toBe(true);
	});

	it('returns the server payload with Simplify off, and can send the series as events for older servers', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), chart({ range: 'yesterday', interval: 'hour', simplify: false, options: { seriesParameter: 'events' } }));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(1);
		expect(json[0]).toHaveProperty('metrics');
		expect((json[0].series as Array<{ metrics: { sum: number } }>)[0].metrics.sum).toBe(webEvents('sign_up', day(1), day(1)).length);
		expect(sandbox.requests[0].query.events).toBeDefined();
		expect(sandbox.requests[0].query.series).toBeUndefined();
	});

	it.each([
		[{ series: { serie: [] } }, 'Series is empty'],
		[{ series: { serie: [{ event: 'purchase', segment: 'property_sum' }] } }, 'Series 1 → Property is empty, but Count is a property aggregate'],
		[{ range: 'custom', startDate: day(3), endDate: 'soon' }, 'End Date must be a day as YYYY-MM-DD (got "soon")'],
		[{ range: 'last_7_days' }, 'Range "last_7_days" is not one OpenPanel accepts'],
	])('refuses %j before sending anything', async (parameters, message) => {
		const { error } = await runOpenPanel(credentialOf(sandbox), chart(parameters));
		expect(error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Funnel → Get', () => {
	const steps = ['session_start', 'sign_up', 'add_to_cart', 'purchase'];
	const funnelParameters = { resource: 'funnel', operation: 'get', steps: { step: steps.map((event) => ({ event })) }, windowHours: 24, groupBy: 'session_id', range: 'custom', startDate: day(6), endDate: day(0) };

	it('gives one item per step with users, conversion and drop-off, matching the stored events', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), funnelParameters);
		expect(error).toBeUndefined();
		const inRange = sandbox.events.filter((e) => e.projectId === 'acme-web' && e.createdAt.slice(0, 10) >= day(6));
		const expected = funnel(inRange, steps, 24 * 3_600_000, 'session_id');
		expect(json.map((s) => [s.step, s.eventName, s.users])).toEqual(expected.steps.map((s) => [s.step, s.eventName, s.users]));
		expect(json[0].users).toBe(new Set(inRange.filter((e) => e.name === 'session_start').map((e) => e.sessionId)).size);
		expect(json[1].dropoffUsers).toBe((json[0].users as number) - (json[1].users as number));
		expect(json.every((s) => s.totalUsers === json[0].users && s.completedUsers === json[3].users)).toBe(true);
		expect(sandbox.requests[0].query.steps).toEqual(steps);
	});

	it('uses the read client\'s own project whatever the path says, as OpenPanel does', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox, 'readApp'), { ...funnelParameters, steps: { step: [{ event: 'session_start' }, { event: 'purchase' }] } });
		expect(error).toBeUndefined();
		const app = sandbox.events.filter((e) => e.projectId === 'acme-app' && e.name === 'session_start' && e.createdAt.slice(0, 10) >= day(6));
		expect(json[0].users).toBe(new Set(app.map((e) => e.sessionId)).size);
		expect(sandbox.requests[0].path).toBe('/insights/-/funnel');
	});

	it.each([
		[{ steps: { step: [{ event: 'sign_up' }] } }, 'Steps must have 2 to 10 events (got 1)'],
		[{ steps: { step: Array(11).fill({ event: 'sign_up' }) } }, 'Steps must have 2 to 10 events (got 11)'],
		[{ windowHours: 721 }, 'Window (Hours) must be a whole number from 1 to 720 (got "721")'],
	])('refuses %j before sending anything', async (parameters, message) => {
		const { error } = await runOpenPanel(credentialOf(sandbox), { ...funnelParameters, ...parameters });
		expect(error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('says a root client needs a Project ID when the path names none', async () => {
		const { error } = await runOpenPanel(credentialOf(sandbox, 'root'), funnelParameters);
		expect(error?.message).toBe('OpenPanel failed to answer the funnel of the client\'s project (HTTP 500: Internal server error) after 5 tries');
		expect(error?.description).toContain('root client');
	}, 60_000);
});

describe('event-name lists', () => {
	it('lists the project\'s event names from the insights route', async () => {
		const { loadOptionsContext, singleNodeWorkflow, TestCredentialsHelper } = await import('../../../test/helpers/harness');
		const { OpenPanelApi } = await import('../credentials/OpenPanelApi.credentials');
		const { getEventNames } = await import('../nodes/OpenPanel/methods/loadOptions');
		const workflow = singleNodeWorkflow('n8n-nodes-openpanel.openPanel', 'OpenPanel', 'openPanelApi', { resource: 'event', operation: 'getMany' });
		const context = loadOptionsContext(workflow, new TestCredentialsHelper({ openPanelApi: new OpenPanelApi() }, { openPanelApi: credentialOf(sandbox) }), 'OpenPanel', { projectId: '' });
		const options = await getEventNames.call(context);
		expect(options.map((o) => o.value)).toEqual(['add_to_cart', 'checkout', 'purchase', 'screen_view', 'session_start', 'sign_up']);
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/insights/-/events/names']);
	});
});
