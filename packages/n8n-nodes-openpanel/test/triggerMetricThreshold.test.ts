import { startOpenPanelSandbox, type OpenPanelSandbox, type StoredEvent } from './openpanel-sandbox/server';
import { ActiveOpenPanelTrigger } from './helpers/activeTrigger';
import { credentialOf } from './helpers/openPanelRun';

/**
 * OpenPanel Trigger → Metric Threshold, against the imitation's /export/charts (computed from
 * its stored events, UTC days). Yesterday is complete from 00:05 UTC: a run in the first minutes
 * of a UTC day waits until then.
 */

const DAY_MS = 86_400_000;
let sandbox: OpenPanelSandbox;
let serial = 0;
beforeAll(async () => {
	const sinceMidnight = Date.now() % DAY_MS;
	if (sinceMidnight < 6 * 60_000) await new Promise((resolve) => setTimeout(resolve, 6 * 60_000 - sinceMidnight));
	sandbox = await startOpenPanelSandbox();
}, 7 * 60_000);
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const startOfToday = () => Math.floor(Date.now() / DAY_MS) * DAY_MS;

/** `count` acme-web events named `name`, at `at` (a second apart). */
function arrive(count: number, name: string, at: number): StoredEvent[] {
	const template = sandbox.events.find((e) => e.projectId === 'acme-web')!;
	const events = Array.from({ length: count }, (_, i) => {
		serial++;
		return { ...template, name, id: `22222222-0000-4000-8000-${String(serial).padStart(12, '0')}`, createdAt: new Date(at + i * 1000).toISOString() };
	});
	sandbox.insertEvents(events);
	return events;
}

function remove(events: StoredEvent[]): void {
	for (const event of events) sandbox.events.splice(sandbox.events.indexOf(event), 1);
}

const threshold = (parameters: Record<string, unknown>) =>
	new ActiveOpenPanelTrigger({ event: 'metricThreshold', segment: 'event', timeWindow: 'yesterday', interval: 'day', valueFrom: 'latest', ...parameters }, credentialOf(sandbox));

describe('OpenPanel Trigger: Metric Threshold', () => {
	it('fires once when the series goes above the threshold, again only after it went back, across a restart', async () => {
		const trigger = threshold({ eventName: 'mt_signup', condition: 'above', threshold: 3 });
		const noon = startOfToday() - DAY_MS / 2;
		expect(await trigger.poll()).toBeNull(); // none yet: OpenPanel leaves the series out, 0

		const first = arrive(4, 'mt_signup', noon);
		const fired = await trigger.poll();
		expect(fired).toHaveLength(1);
		expect(fired![0].json).toMatchObject({ eventName: 'mt_signup', count: 'event', value: 4, previousValue: 0, condition: 'above', threshold: 3, conditionMet: true, dataComplete: true });
		expect(fired![0].json.bucket).toBe(new Date(startOfToday() - DAY_MS).toISOString().replace('.000Z', 'Z'));
		const sent = sandbox.requests[sandbox.requests.length - 1].query;
		expect(JSON.parse(sent.series[0])).toEqual([{ name: 'mt_signup', segment: 'event', filters: [] }]);
		expect([sent.range[0], sent.interval[0]]).toEqual(['yesterday', 'day']);

		expect(await trigger.poll()).toBeNull(); // still above: no second alert
		trigger.restart();
		expect(await trigger.poll()).toBeNull(); // the saved state knows it fired

		remove(first.slice(1));
		expect(await trigger.poll()).toBeNull(); // back below: re-armed
		arrive(3, 'mt_signup', noon + 60_000);
		expect((await trigger.poll())?.[0].json).toMatchObject({ value: 4, previousValue: 1 });
	});

	it('counts users with Is Below; an event without any in the window is 0 and fires', async () => {
		arrive(3, 'mt_quiet', startOfToday() - DAY_MS / 2);
		const users = await threshold({ eventName: 'mt_quiet', segment: 'user', condition: 'below', threshold: 2 }).poll();
		expect(users?.[0].json).toMatchObject({ count: 'user', value: 1 }); // one profile sent all three
		const none = await threshold({ eventName: 'mt_never_sent', condition: 'below', threshold: 1 }).poll();
		expect(none?.[0].json).toMatchObject({ value: 0, conditionMet: true });
	});

	it('does not judge a window that is not complete (no request); Fetch Test Event shows it as incomplete', async () => {
		arrive(5, 'mt_today', Date.now() - 60_000);
		const today = threshold({ eventName: 'mt_today', timeWindow: 'today', condition: 'above', threshold: 0 });
		expect(await today.poll()).toBeNull();
		expect(sandbox.requests).toHaveLength(0);

		const sample = await today.poll('manual');
		expect(sample?.[0].json).toMatchObject({ dataComplete: false, conditionMet: expect.any(Boolean) });
		expect(sandbox.requests).toHaveLength(1);
	});

	it.each([
		[{ eventName: 'mt_signup', condition: 'above', threshold: 'lots' }, 'Threshold must be a number (got "lots")'],
		[{ eventName: '', condition: 'above', threshold: 3 }, 'Metric Threshold → Event Name is empty'],
		[{ eventName: 'mt_signup', segment: 'property_sum', condition: 'above', threshold: 3 }, 'Metric Threshold → Property is empty, but Count is a property aggregate'],
		[{ eventName: 'mt_signup', condition: 'above', threshold: 3, timeWindow: 'last_7_days' }, 'Time Window "last_7_days" is not one of 30d, 7d, lastMonth, monthToDate, today, yesterday'],
		[{ eventName: 'mt_signup', condition: 'above', threshold: 3, timezone: 'Mars/Base' }, 'Project Timezone "Mars/Base" does not exist'],
		[{ eventName: 'mt_signup', condition: 'above', threshold: 3, timeWindow: '7d', valueFrom: 'sum' }, 'Value "Sum of Window" is never final for Time Window "Last 7 Days"'],
	])('refuses %j before any request: %s', async (parameters, message) => {
		await expect(threshold(parameters).poll()).rejects.toThrow(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('names the chart when OpenPanel refuses it', async () => {
		const trigger = new ActiveOpenPanelTrigger(
			{ event: 'metricThreshold', eventName: 'mt_signup', segment: 'user', timeWindow: 'yesterday', condition: 'above', threshold: 3, projectId: 'acme-app' },
			credentialOf(sandbox, 'read'),
		);
		await expect(trigger.poll()).rejects.toThrow('OpenPanel refused access to the chart of Users of "mt_signup" in project "acme-app" (403: You do not have access to this project)');
	});
});
