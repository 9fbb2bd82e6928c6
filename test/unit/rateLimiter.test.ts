import { ManualExecutionCancelledError } from 'n8n-workflow';

import {
	paceForRate,
	pauseRequests,
	resetRateLimiter,
	waitForRequestSlot,
	type Pace,
} from '../../core/transport/rateLimiter';

const GROWINGIO: Pace = { limit: 2, windowMs: 1000 };
/** The safety margin on an idle event loop. */
const MARGIN = 25;
/** The first start after a quiet spell counts this much later. */
const COLD = 100;

/** Start times of `count` callers that all ask for a slot at once. */
async function startTimes(key: string, count: number, pace: Pace): Promise<number[]> {
	return await Promise.all(
		Array.from({ length: count }, async () => {
			await waitForRequestSlot(key, pace);
			return Date.now();
		}),
	);
}

/** The most starts in any window (t - windowMs, t]. */
function mostInAnyWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let last = 0, first = 0; last < sorted.length; last++) {
		while (sorted[first] <= sorted[last] - windowMs) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

describe('rate limiter', () => {
	beforeEach(() => resetRateLimiter());

	it('turns a rate into a pace: whole numbers per second, fractions as one per 1 / rate seconds', () => {
		expect(paceForRate(2)).toEqual({ limit: 2, windowMs: 1000 });
		expect(paceForRate(1)).toEqual({ limit: 1, windowMs: 1000 });
		expect(paceForRate(0.5)).toEqual({ limit: 1, windowMs: 2000 });
		expect(paceForRate(1.5)).toEqual({ limit: 1, windowMs: 667 });
	});

	it('lets a pair leave together and the next pair a window later, never 3 starts in a second', async () => {
		const times = (await startTimes('a', 6, GROWINGIO)).sort((x, y) => x - y);
		expect(mostInAnyWindow(times, 1000 + MARGIN - 5)).toBe(2);
		// The first pair leaves at once.
		expect(times[1] - times[0]).toBeLessThan(20);
		// The second pair: one a window after the first start, its partner a window after the
		// first start's cold-start allowance.
		expect(times[2] - times[0]).toBeGreaterThanOrEqual(1000 + MARGIN - 2);
		expect(times[3] - times[1]).toBeGreaterThanOrEqual(1000 + MARGIN + COLD - 25);
		// … and the pace is the limit, not slower: three windows for six starts at most.
		expect(times[5] - times[0]).toBeLessThan(2 * (1000 + MARGIN) + COLD + 150);
	});

	it('keeps 100 starts per 10 s (a wider pace) without spacing them', async () => {
		const started = Date.now();
		const times = await startTimes('wide', 100, { limit: 100, windowMs: 10_000 });
		expect(Math.max(...times) - started).toBeLessThan(200);
	});

	it('a blocked event loop holds back the next pair: the pair that started just before the block left when it ended', async () => {
		const blockMs = 300;
		let started = 0;
		const times = await Promise.all(
			Array.from({ length: 4 }, async () => {
				await waitForRequestSlot('blocked', GROWINGIO);
				const at = Date.now();
				// A busy n8n right after the first pair started: those two reach GrowingIO up to
				// 300 ms late, so the next pair must leave 300 ms later than a window after them.
				if (++started === 2) for (const until = at + blockMs; Date.now() < until; );
				return at;
			}),
		);
		times.sort((x, y) => x - y);
		// Before, the third start came 1025 ms after the first: inside the window of the late pair.
		expect(times[2] - times[0]).toBeGreaterThanOrEqual(1000 + blockMs - 25);
		expect(mostInAnyWindow(times, 1000)).toBe(2);
	});

	it('keeps separate budgets per key', async () => {
		const started = Date.now();
		await Promise.all([startTimes('x', 2, GROWINGIO), startTimes('y', 2, GROWINGIO)]);
		expect(Date.now() - started).toBeLessThan(100);
	});

	it('holds back a caller that arrives during a pause (429 Retry-After)', async () => {
		const started = Date.now();
		pauseRequests('p', 300);
		await waitForRequestSlot('p', GROWINGIO);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});

	it('holds back callers that were already waiting when the pause began, and keeps them paced after it', async () => {
		let resumeAt = 0;
		const times = await Promise.all(
			Array.from({ length: 6 }, async (_, caller) => {
				await waitForRequestSlot('queued', GROWINGIO);
				const at = Date.now();
				// The first pair has started; one of them is answered 429 with Retry-After 2 while the
				// other four wait for their starts.
				if (caller === 1) {
					pauseRequests('queued', 2000);
					resumeAt = Date.now() + 2000;
				}
				return at;
			}),
		);
		const [first, second, ...queued] = times.sort((x, y) => x - y);
		expect(queued).toHaveLength(4);
		for (const at of queued) expect(at).toBeGreaterThanOrEqual(resumeAt - 2);
		// No crowd when the pause ends: never 3 starts in a second, the first one's allowance included …
		expect(mostInAnyWindow(queued, 1000 + MARGIN - 5)).toBe(2);
		expect(queued[2] - queued[0]).toBeGreaterThanOrEqual(1000 + MARGIN - 2);
		expect(queued[3] - queued[0]).toBeGreaterThanOrEqual(1000 + MARGIN + COLD - 25);
		// … and at the limit again right after it, not dragged further.
		expect(queued[0] - resumeAt).toBeLessThan(100);
		expect(queued[3] - resumeAt).toBeLessThan(1000 + MARGIN + COLD + 150);
		expect(Math.max(first, second)).toBeLessThan(resumeAt - 1900);
	});

	it('a longer pause while one is running moves the waiting callers again', async () => {
		await startTimes('twice', 2, GROWINGIO); // one of these was answered 429
		const started = Date.now();
		const waiting = Promise.all([waitForRequestSlot('twice', GROWINGIO), waitForRequestSlot('twice', GROWINGIO)].map(async (slot) => (await slot, Date.now())));
		pauseRequests('twice', 1500);
		pauseRequests('twice', 2500);
		pauseRequests('twice', 100); // shorter than the running pause: no effect
		const times = (await waiting).sort((x, y) => x - y);
		expect(times[0] - started).toBeGreaterThanOrEqual(2495);
		expect(times[1] - started).toBeLessThan(2500 + 150);
	});

	it('never pauses a project longer than 60 s, whatever Retry-After said', async () => {
		jest.useFakeTimers({ now: Date.now() });
		try {
			pauseRequests('day', 86_400_000);
			let started = false;
			const slot = waitForRequestSlot('day', GROWINGIO).then(() => (started = true));
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
		// One request per 5 s: the second caller's start is 5 s away.
		await waitForRequestSlot('stop', { limit: 1, windowMs: 5000 });
		const controller = new AbortController();
		const waiting = waitForRequestSlot('stop', { limit: 1, windowMs: 5000 }, controller.signal).then(
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
		await expect(waitForRequestSlot('stop', { limit: 1, windowMs: 5000 }, controller.signal)).rejects.toBeInstanceOf(ManualExecutionCancelledError);
	});
});
