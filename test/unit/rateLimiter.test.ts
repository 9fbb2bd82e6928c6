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

	it('holds every caller back after a pause (429 Retry-After)', async () => {
		const started = Date.now();
		pauseRequests('p', 300);
		await waitForRequestSlot('p', 10);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});
});
