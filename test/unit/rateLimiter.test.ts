import { ManualExecutionCancelledError } from 'n8n-workflow';

import {
	intervalForRate,
	pauseRequests,
	resetRateLimiter,
	waitForRequestSlot,
} from '../../nodes/GrowingIo/transport/rateLimiter';

/** Start times of `count` callers that all ask for a slot at once. */
async function startTimes(key: string, count: number, intervalMs: number): Promise<number[]> {
	return await Promise.all(
		Array.from({ length: count }, async () => {
			await waitForRequestSlot(key, intervalMs);
			return Date.now();
		}),
	);
}

describe('rate limiter', () => {
	beforeEach(() => resetRateLimiter());

	it('spaces 2 per second 3 % wider than 500 ms', () => {
		expect(intervalForRate(2)).toBe(515);
		expect(intervalForRate(1)).toBe(1030);
	});

	it('never starts more than 2 requests in any one-second window, even for concurrent callers', async () => {
		const times = (await startTimes('a', 6, intervalForRate(2))).sort((x, y) => x - y);
		expect(times[2] - times[1]).toBeLessThan(515 + 50);
		for (let i = 2; i < times.length; i++) {
			// the third start after any start must be a full second later
			expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(1000);
		}
		// and the pace is the limit, not slower: 5 gaps of 515 ms plus the first request's allowance
		expect(times[5] - times[0]).toBeLessThan(5 * 515 + 100 + 150);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(515 + 100 - 5);
	});

	it('when a timer fires late (busy event loop), the next start keeps a full interval from the late one', async () => {
		const interval = intervalForRate(2);
		let started = 0;
		const times = await Promise.all(
			Array.from({ length: 4 }, async () => {
				await waitForRequestSlot('late', interval);
				const at = Date.now();
				// A busy n8n after the second start: the third caller's timer fires 200 ms late.
				if (++started === 2) for (const until = at + interval + 200; Date.now() < until; );
				return at;
			}),
		);
		times.sort((x, y) => x - y);
		for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(interval - 2);
	});

	it('keeps separate budgets per key', async () => {
		const started = Date.now();
		await Promise.all([startTimes('x', 1, 510), startTimes('y', 1, 510)]);
		expect(Date.now() - started).toBeLessThan(100);
	});

	it('holds back a caller that arrives during a pause (429 Retry-After)', async () => {
		const started = Date.now();
		pauseRequests('p', 300);
		await waitForRequestSlot('p', 10);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});

	it('holds back callers that were already waiting when the pause began, and keeps them spaced after it', async () => {
		const interval = intervalForRate(2);
		let resumeAt = 0;
		const times = await Promise.all(
			Array.from({ length: 5 }, async (_, caller) => {
				await waitForRequestSlot('queued', interval);
				const at = Date.now();
				// The first request is answered 429 with Retry-After 2 while the other four wait for their slots.
				if (caller === 0) {
					pauseRequests('queued', 2000);
					resumeAt = Date.now() + 2000;
				}
				return at;
			}),
		);
		const [first, ...queued] = times.sort((x, y) => x - y);
		expect(queued).toHaveLength(4);
		// Before, the queued callers kept their slots: 615, 1130, 1645 ms, all inside the pause.
		for (const at of queued) expect(at).toBeGreaterThanOrEqual(resumeAt - 2);
		// No crowd when the pause ends: still a full interval apart, the first one's allowance included,
		// and never 3 starts in a second.
		expect(queued[1] - queued[0]).toBeGreaterThanOrEqual(interval + 100 - 5);
		for (let i = 2; i < queued.length; i++) expect(queued[i] - queued[i - 1]).toBeGreaterThanOrEqual(interval - 2);
		for (let i = 2; i < queued.length; i++) expect(queued[i] - queued[i - 2]).toBeGreaterThanOrEqual(1000);
		// … and at the limit again right after it, not dragged further.
		expect(queued[0] - resumeAt).toBeLessThan(100);
		expect(queued[3] - resumeAt).toBeLessThan(3 * interval + 100 + 150);
		expect(first).toBeLessThan(resumeAt - 1900);
	});

	it('a longer pause while one is running moves the waiting callers again', async () => {
		const interval = intervalForRate(2);
		await waitForRequestSlot('twice', interval); // the request that was answered 429
		const started = Date.now();
		const waiting = Promise.all([waitForRequestSlot('twice', interval), waitForRequestSlot('twice', interval)].map(async (slot) => (await slot, Date.now())));
		pauseRequests('twice', 300);
		pauseRequests('twice', 800);
		pauseRequests('twice', 100); // shorter than the running pause: no effect
		const times = (await waiting).sort((x, y) => x - y);
		expect(times[0] - started).toBeGreaterThanOrEqual(795);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(interval - 2);
	});

	it('never pauses a project longer than 60 s, whatever Retry-After said', async () => {
		jest.useFakeTimers({ now: Date.now() });
		try {
			pauseRequests('day', 86_400_000);
			let started = false;
			const slot = waitForRequestSlot('day', 10).then(() => (started = true));
			await jest.advanceTimersByTimeAsync(59_000);
			expect(started).toBe(false);
			await jest.advanceTimersByTimeAsync(1_100);
			await slot;
			expect(started).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});

	it('a caller waiting for its slot gives up at once when the execution is stopped, and takes no start', async () => {
		// One request every 5 s: the second caller's slot is 5 s away.
		await waitForRequestSlot('stop', 5000);
		const controller = new AbortController();
		const waiting = waitForRequestSlot('stop', 5000, controller.signal).then(
			() => ({ startedAt: Date.now() }),
			(error: Error) => ({ error, at: Date.now() }),
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const stoppedAt = Date.now();
		controller.abort();
		const outcome = await waiting;
		expect(outcome).toEqual({ error: expect.any(ManualExecutionCancelledError), at: expect.any(Number) });
		// jest's source maps make the first error slow to build; in n8n this is immediate.
		expect((outcome as { at: number }).at - stoppedAt).toBeLessThan(300);
		// A stopped execution asks for no slot at all.
		await expect(waitForRequestSlot('stop', 5000, controller.signal)).rejects.toBeInstanceOf(ManualExecutionCancelledError);
	});
});
