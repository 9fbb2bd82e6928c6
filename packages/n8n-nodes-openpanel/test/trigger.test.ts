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

	it('Fetch Test Event returns the newest event without moving the cursor', async () => {
		const trigger = new ActiveOpenPanelTrigger({ eventNames: ['purchase'], lookbackMinutes: 60, maxEventsPerPoll: 100 }, credentialOf(sandbox));
		const sample = await trigger.poll('manual');
		expect(sample).toHaveLength(1);
		expect(trigger.saved).toEqual({});
	});
});
