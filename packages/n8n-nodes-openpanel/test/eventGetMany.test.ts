import { exportOrder } from './openpanel-sandbox/analytics';
import { startOpenPanelSandbox, type OpenPanelSandbox, type StoredEvent } from './openpanel-sandbox/server';
import { credentialOf, runOpenPanel } from './helpers/openPanelRun';

/** Event → Get Many through n8n's engine against the OpenPanel imitation over HTTP. */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

let sandbox: OpenPanelSandbox;
beforeAll(async () => (sandbox = await startOpenPanelSandbox({ sessionsPerDay: 40 })));
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.resetRequests();
	sandbox.beforeEventsPage = undefined;
});

/** What OpenPanel holds for the project and days, in its export order. */
function stored(projectId: string, start: string, end: string, keep: (e: StoredEvent) => boolean = () => true): StoredEvent[] {
	return sandbox.events
		.filter((e) => e.projectId === projectId && e.createdAt.slice(0, 10) >= start && e.createdAt.slice(0, 10) <= end && keep(e))
		.sort(exportOrder);
}

const allOfTheWeek = { resource: 'event', operation: 'getMany', startDate: day(6), endDate: day(0), returnAll: true };

describe('Event → Get Many', () => {
	it('returns every event of the days with Return All, in pages of 1000, newest first', async () => {
		const expected = stored('acme-web', day(6), day(0));
		expect(expected.length).toBeGreaterThan(1000);
		const { json, error } = await runOpenPanel(credentialOf(sandbox), allOfTheWeek);
		expect(error).toBeUndefined();
		expect(json.map((e) => e.id)).toEqual(expected.map((e) => e.id));
		expect(Object.keys(json[0]).sort()).toEqual(['browser', 'city', 'country', 'createdAt', 'deviceId', 'groups', 'id', 'name', 'os', 'path', 'profileId', 'projectId', 'sessionId']);
		const pages = sandbox.requests.map((r) => [r.query.page[0], r.query.limit[0], r.query.start[0], r.query.end[0]]);
		expect(pages).toEqual([
			['1', '1000', day(6), day(0)],
			['2', '1000', day(6), day(0)],
		]);
	});

	it('detects an older server that clamps limit to 50 and reads on in pages of 50', async () => {
		const old = await startOpenPanelSandbox({ maxEventsLimit: 50 });
		try {
			const expected = old.events.filter((e) => e.projectId === 'acme-web' && e.createdAt.slice(0, 10) >= day(1)).sort(exportOrder);
			const { json, error } = await runOpenPanel(credentialOf(old), { ...allOfTheWeek, startDate: day(1) });
			expect(error).toBeUndefined();
			expect(json.map((e) => e.id)).toEqual(expected.map((e) => e.id));
			expect(old.requests.map((r) => r.query.limit[0])).toEqual(['1000', ...Array(Math.ceil(expected.length / 50) - 1).fill('50')]);
		} finally {
			await old.close();
		}
	});

	it('neither duplicates nor loses events when new ones arrive between pages (offset drift)', async () => {
		const before = stored('acme-web', day(6), day(0));
		let inserted = 0;
		sandbox.beforeEventsPage = (page) => {
			if (page < 2) return;
			// New events of today arrive while the node reads: they sort first and push every page down.
			const fresh = Array.from({ length: 7 }, (_, i) => ({ ...before[0], id: `00000000-0000-4000-8000-${String(page * 100 + i).padStart(12, '0')}`, createdAt: new Date().toISOString() }));
			inserted += fresh.length;
			sandbox.insertEvents(fresh);
		};
		try {
			const { json, error } = await runOpenPanel(credentialOf(sandbox), allOfTheWeek);
			expect(error).toBeUndefined();
			expect(inserted).toBeGreaterThan(0);
			const ids = json.map((e) => e.id as string);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids.filter((id) => before.some((e) => e.id === id))).toEqual(before.map((e) => e.id));
		} finally {
			sandbox.events.splice(0, sandbox.events.length, ...sandbox.events.filter((e) => !e.id.startsWith('00000000-')));
		}
	});

	it('stops at Limit, and filters by event names, profile and property', async () => {
		const profileId = stored('acme-web', day(2), day(0))[0].profileId;
		const expected = stored('acme-web', day(2), day(0), (e) => ['screen_view', 'sign_up'].includes(e.name) && e.profileId === profileId && e.country !== 'XX');
		const { json, error } = await runOpenPanel(credentialOf(sandbox), {
			resource: 'event',
			operation: 'getMany',
			startDate: day(2),
			endDate: day(0),
			eventNames: ['screen_view', 'sign_up'],
			profileId,
			filters: { filter: [{ property: 'country', operator: 'isNot', values: 'XX' }] },
			includes: ['properties', 'profile'],
			returnAll: false,
			limit: 3,
		});
		expect(error).toBeUndefined();
		expect(json.map((e) => e.id)).toEqual(expected.slice(0, 3).map((e) => e.id));
		expect((json[0].profile as { id: string }).id).toBe(profileId);
		expect(json[0]).toHaveProperty('properties');
		expect(sandbox.requests[0].query.event).toEqual(['screen_view', 'sign_up']);
		expect(sandbox.requests[0].query.includes).toEqual(['properties', 'profile']);
	});

	it('sends a numeric-looking profile ID JSON-quoted, which OpenPanel reads back as text', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), { ...allOfTheWeek, profileId: '12345' });
		expect(error).toBeUndefined();
		expect(json).toEqual([]);
		expect(sandbox.requests[0].query.profileId).toEqual(['"12345"']);
	});

	it('reads yesterday and today when both dates are empty, never the server default window', async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox), { resource: 'event', operation: 'getMany', returnAll: true });
		expect(error).toBeUndefined();
		expect(json.map((e) => e.id)).toEqual(stored('acme-web', day(1), day(0)).map((e) => e.id));
		expect(sandbox.requests.every((r) => r.query.start[0] === day(1) && r.query.end[0] === day(0))).toBe(true);
	});

	it("takes a date-time's day as written (its own offset, a space instead of T), not converted to UTC", async () => {
		const { error } = await runOpenPanel(credentialOf(sandbox), { resource: 'event', operation: 'getMany', startDate: `${day(2)}T23:30:00-05:00`, endDate: `${day(1)} 08:00`, returnAll: false, limit: 1 });
		expect(error).toBeUndefined();
		expect([sandbox.requests[0].query.start[0], sandbox.requests[0].query.end[0]]).toEqual([day(2), day(1)]);
	});

	it.each([
		[{ startDate: day(1) }, 'End Date is empty while Start Date is set'],
		[{ startDate: '2026-02-30', endDate: day(0) }, 'Start Date must be a day as YYYY-MM-DD (got "2026-02-30")'],
		[{ startDate: '2026-01', endDate: day(0) }, 'Start Date must be a day as YYYY-MM-DD (got "2026-01")'],
		[{ endDate: day(1) }, 'Start Date is empty while End Date is set'],
		[{ startDate: 'last week', endDate: day(0) }, 'Start Date must be a day as YYYY-MM-DD (got "last week")'],
		[{ startDate: day(0), endDate: day(2) }, `Start Date (${day(0)}) is after End Date (${day(2)})`],
		[{ startDate: day(1), endDate: day(0), returnAll: false, limit: 0 }, 'Limit must be a whole number of at least 1 (got "0")'],
		[{ startDate: day(1), endDate: day(0), filters: { filter: [{ property: '', operator: 'is', values: 'x' }] } }, 'Filters → Filter 1 → Property is empty'],
	])('refuses %j before sending anything', async (parameters, message) => {
		const { error } = await runOpenPanel(credentialOf(sandbox), { resource: 'event', operation: 'getMany', ...parameters });
		expect(error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it("reads another project of the organization with a root client and the node's Project ID", async () => {
		const { json, error } = await runOpenPanel(credentialOf(sandbox, 'root'), { ...allOfTheWeek, startDate: day(0), projectId: 'acme-app' });
		expect(error).toBeUndefined();
		expect(json.map((e) => e.id)).toEqual(stored('acme-app', day(0), day(0)).map((e) => e.id));
	});
});
