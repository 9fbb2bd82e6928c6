import { startOpenPanelSandbox, type OpenPanelSandbox, type StoredEvent } from './openpanel-sandbox/server';
import { ActiveOpenPanelTrigger } from './helpers/activeTrigger';
import { credentialOf } from './helpers/openPanelRun';

/** OpenPanel Trigger → On New Event: each event once, across polls and restarts, late ones caught. */

let sandbox: OpenPanelSandbox;
let serial = 0;
beforeAll(async () => (sandbox = await startOpenPanelSandbox()));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

/** New events of acme-web, happened at `at` (default now), a millisecond apart. */
function arrive(count: number, name = 'sign_up', at = Date.now()): StoredEvent[] {
	const template = sandbox.events.find((e) => e.projectId === 'acme-web')!;
	const events = Array.from({ length: count }, (_, i) => {
		serial++;
		return { ...template, name, id: `11111111-0000-4000-8000-${String(serial).padStart(12, '0')}`, createdAt: new Date(at + i).toISOString() };
	});
	sandbox.insertEvents(events);
	return events;
}

/** One new acme-web event that happened at `at`. */
function arriveAt(name: string, at: number): StoredEvent[] {
	return arrive(1, name, at);
}

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

const ids = (items: Array<{ json: { id?: unknown } }> | null) => (items ?? []).map((i) => i.json.id).sort();

describe('OpenPanel Trigger: On New Event', () => {
	it('delivers each new event once across polls and a restart, and catches late events within the lookback', async () => {
		const trigger = new ActiveOpenPanelTrigger({ eventNames: ['sign_up'], lookbackMinutes: 60, maxEventsPerPoll: 1000 }, credentialOf(sandbox));
		const activated = Date.now();
		expect(await trigger.poll()).toBeNull(); // activation: from now on
		await pause(50);

		const first = arrive(3);
		expect(ids(await trigger.poll())).toEqual(first.map((e) => e.id).sort());
		expect(await trigger.poll()).toBeNull();

		trigger.restart();
		const second = arrive(2);
		// An event that happened after the activation but before the last delivered one reaches OpenPanel only now.
		const late = arrive(1, 'sign_up', activated + 20);
		// One from before the activation never counts.
		arrive(1, 'sign_up', activated - 60_000);
		arrive(2, 'screen_view');
		expect(ids(await trigger.poll())).toEqual([...second, ...late].map((e) => e.id).sort());
		trigger.restart();
		expect(await trigger.poll()).toBeNull();
		expect(sandbox.requests.every((r) => r.query.start && r.query.end && r.query.event?.[0] === 'sign_up')).toBe(true);
	});

	it('catches up after downtime in bounded polls, oldest first, without losing or repeating', async () => {
		const trigger = new ActiveOpenPanelTrigger({ eventNames: ['checkout'], lookbackMinutes: 10, maxEventsPerPoll: 4 }, credentialOf(sandbox));
		await trigger.poll();
		await pause(20);
		const backlog = arrive(10, 'checkout');
		const polls = [await trigger.poll(), await trigger.poll(), await trigger.poll(), await trigger.poll()];
		expect(polls.map((p) => p?.length ?? 0)).toEqual([4, 4, 2, 0]);
		const delivered = polls.flatMap((p) => p ?? []).map((i) => i.json);
		expect(delivered.map((e) => e.id).sort()).toEqual(backlog.map((e) => e.id).sort());
		// Oldest first.
		expect(delivered.map((e) => e.createdAt)).toEqual([...delivered.map((e) => e.createdAt as string)].sort());
	});

	it('catches up several busy days with a bounded read per poll, each event once, with events arriving between and during polls', async () => {
		// Down since 3 days ago 00:00 (saved state of a trigger activated before then), then
		// 3 busy past days of 3000 events each (one every 28.8 s).
		const DAY = 86_400_000;
		const firstDay = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
		const perDay = 3000;
		const backlog: StoredEvent[] = [];
		for (let d = 0; d < 3; d++) for (let i = 0; i < perDay; i++) backlog.push(...arriveAt('bulk_view', firstDay + d * DAY + i * (DAY / perDay)));
		const max = 1000;
		const lookbackMinutes = 10;
		const trigger = new ActiveOpenPanelTrigger({ eventNames: ['bulk_view'], lookbackMinutes, maxEventsPerPoll: max }, credentialOf(sandbox));
		const since = new Date(firstDay).toISOString();
		trigger.saved = { 'node:OpenPanel Trigger': { newEvent: { since, cursor: since, seen: [] } } };
		trigger.restart();

		const expected = new Set(backlog.map((e) => e.id));
		const delivered: string[] = [];
		const perPoll: Array<{ requests: number; read: number; delivered: number }> = [];
		let cursor = firstDay;
		for (let round = 0; round < 20; round++) {
			sandbox.resetRequests();
			// Newer events arrive while the poll reads its pages.
			sandbox.beforeEventsPage = (page) => {
				if (page > 1) for (const e of arrive(1, 'bulk_view')) expected.add(e.id);
			};
			const items = await trigger.poll();
			sandbox.beforeEventsPage = undefined;
			const got = (items ?? []).map((i) => i.json);
			delivered.push(...got.map((e) => String(e.id)));
			perPoll.push({ requests: sandbox.requests.length, read: sandbox.requests.reduce((sum, r) => sum + (r.returned ?? 0), 0), delivered: got.length });
			if (!got.length) break;
			cursor = Math.max(cursor, ...got.map((e) => Date.parse(String(e.createdAt))));
			// Between the catch-up's polls: a new event now, and a late one that happened 5 minutes
			// before the cursor (inside the lookback).
			if (got.length === max) for (const e of [...arrive(1, 'bulk_view'), ...arriveAt('bulk_view', cursor - 5 * 60_000)]) expected.add(e.id);
			if (round === 4) trigger.restart();
		}

		expect(delivered.length).toBe(new Set(delivered).size);
		expect(new Set(delivered)).toEqual(expected);
		const catchUp = perPoll.filter((p) => p.delivered === max);
		expect(catchUp.length).toBeGreaterThanOrEqual(9);
		// Each poll reads about Max Events per Poll plus the lookback's events (21 at this rate),
		// not the rest of the day: at most 1.25 × max events (pages start at multiples of their
		// size) in 3 requests (the first poll also searches for its place: one one-event request
		// per halving of the list).
		const [first, ...rest] = perPoll;
		expect(Math.max(...perPoll.map((p) => p.read))).toBeLessThanOrEqual(1.25 * max);
		expect(Math.max(...rest.map((p) => p.requests))).toBeLessThanOrEqual(3);
		expect(first.requests).toBeLessThanOrEqual(3 + Math.ceil(Math.log2(3 * perDay + 100)));
	}, 120_000);

	it('catches up against an older server that clamps pages to 50 events, each event once', async () => {
		const old = await startOpenPanelSandbox({ maxEventsLimit: 50 });
		try {
			const DAY = 86_400_000;
			const firstDay = Math.floor(Date.now() / DAY) * DAY - DAY;
			const template = old.events.find((e) => e.projectId === 'acme-web')!;
			const backlog = Array.from({ length: 600 }, (_, i) => ({ ...template, name: 'old_server_view', id: `33333333-0000-4000-8000-${String(i).padStart(12, '0')}`, createdAt: new Date(firstDay + i * 60_000).toISOString() }));
			old.insertEvents(backlog);
			const trigger = new ActiveOpenPanelTrigger({ eventNames: ['old_server_view'], lookbackMinutes: 5, maxEventsPerPoll: 100 }, credentialOf(old));
			const since = new Date(firstDay).toISOString();
			trigger.saved = { 'node:OpenPanel Trigger': { newEvent: { since, cursor: since, seen: [] } } };
			trigger.restart();
			const delivered: string[] = [];
			const requests: number[] = [];
			for (let round = 0; round < 10; round++) {
				old.resetRequests();
				const items = await trigger.poll();
				requests.push(old.requests.length);
				if (!items) break;
				delivered.push(...items.map((i) => String(i.json.id)));
			}
			expect(delivered).toEqual(backlog.map((e) => e.id));
			// After the first poll (binary search, and the page the server clamps): the count and 3 pages of at most 50.
			expect(Math.max(...requests.slice(1))).toBeLessThanOrEqual(4);
		} finally {
			await old.close();
		}
	}, 60_000);

	it("delivers each event once, oldest first, while OpenPanel's count of the list lags minutes behind (it caches it)", async () => {
		const lagging = await startOpenPanelSandbox({ countCacheMs: 600_000 });
		try {
			const template = lagging.events.find((e) => e.projectId === 'acme-web')!;
			let n = 0;
			const add = (name: string, count: number, at = Date.now()) => {
				const events = Array.from({ length: count }, (_, i) => ({ ...template, name, id: `44444444-0000-4000-8000-${String(++n).padStart(12, '0')}`, createdAt: new Date(at + i).toISOString() }));
				lagging.insertEvents(events);
				return events.map((e) => e.id);
			};
			const drain = async (trigger: ActiveOpenPanelTrigger) => {
				const got: string[] = [];
				for (let round = 0; round < 10; round++) {
					const items = await trigger.poll();
					if (!items) break;
					got.push(...items.map((i) => String(i.json.id)));
				}
				return got;
			};

			// Events of today before the activation: the count the trigger sees stays 5 from here on.
			add('lagging_view', 5, Date.now() - 60_000);
			const trigger = new ActiveOpenPanelTrigger({ eventNames: ['lagging_view'], lookbackMinutes: 60, maxEventsPerPoll: 4 }, credentialOf(lagging));
			expect(await trigger.poll()).toBeNull();
			await pause(20);
			const first = add('lagging_view', 3);
			expect((await trigger.poll())?.map((i) => i.json.id)).toEqual(first);
			await pause(20);
			const backlog = add('lagging_view', 10);
			expect(await drain(trigger)).toEqual(backlog);
			trigger.restart();
			expect(await trigger.poll()).toBeNull();

			// None before the activation: the count stays 0, the events are there all the same.
			const fresh = new ActiveOpenPanelTrigger({ eventNames: ['lagging_new'], lookbackMinutes: 60, maxEventsPerPoll: 4 }, credentialOf(lagging));
			expect(await fresh.poll()).toBeNull();
			await pause(20);
			const news = add('lagging_new', 6);
			expect(await drain(fresh)).toEqual(news);
		} finally {
			await lagging.close();
		}
	}, 60_000);

	it('Fetch Test Event returns the newest event without moving the cursor', async () => {
		const trigger = new ActiveOpenPanelTrigger({ eventNames: ['purchase'], lookbackMinutes: 60, maxEventsPerPoll: 100 }, credentialOf(sandbox));
		const sample = await trigger.poll('manual');
		expect(sample).toHaveLength(1);
		expect(trigger.saved).toEqual({});
	});
});
