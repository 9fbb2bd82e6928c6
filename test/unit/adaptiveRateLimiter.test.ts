import { sleep } from 'n8n-workflow';

import { RequestLimiter, shareOfPace, slowedPace, type Pace } from '../../core/transport/rateLimiter';
import { backoffDelay } from '../../core/transport/retryPolicy';
import { SlidingWindowLimiter } from '../../sandbox/rateLimiter';
import { seededRandom } from '../../sandbox/seededRandom';

const GROWINGIO: Pace = { limit: 2, windowMs: 1000 };
const OPENPANEL: Pace = { limit: 100, windowMs: 10_000, marginMs: 200 };

/** Start times of `count` callers asking one after another (each asks when the previous started). */
async function sequentialStarts(limiter: RequestLimiter, key: string, pace: Pace, count: number): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		await limiter.waitForRequestSlot(key, pace);
		times.push(Date.now());
	}
	return times;
}

interface Service {
	name: string;
	pace: Pace;
	retryAfterMs: number;
	/** Items a workflow sends at once (the node's items in flight). */
	inFlight: number;
}

interface Figures {
	throttled: number;
	failed: number;
	elapsedMs: number;
	idealMs: number;
	ratio: number;
}

/**
 * Three queue-mode workers, each its own n8n instance (its own limiter), each running a workflow
 * of `perWorker` requests against one strict sliding-window budget that counts refused requests
 * too. Each request runs as the core's request loop does: slot, send, on a 429 lower the share and
 * pause for the backoff (Retry-After at least), retry up to 5 tries.
 */
async function simulateWorkers(service: Service, workerPace: Pace, perWorker = 40, workers = 3): Promise<Figures> {
	const server = new SlidingWindowLimiter(service.pace.limit, service.pace.windowMs);
	const key = `${service.name}|http://127.0.0.1|p`;
	const random = seededRandom(7);
	const randomSpy = jest.spyOn(Math, 'random').mockImplementation(random);
	let throttled = 0;
	let failed = 0;
	const begin = Date.now();
	let lastDone = begin;

	const request = async (limiter: RequestLimiter) => {
		for (let attempt = 1; attempt <= 5; attempt++) {
			await limiter.waitForRequestSlot(key, workerPace);
			const sentAt = Date.now();
			await sleep(5); // to the service
			const accepted = server.hit(Date.now());
			await sleep(15); // the answer back
			if (accepted) {
				limiter.requestAccepted(key, workerPace);
				lastDone = Math.max(lastDone, Date.now());
				return;
			}
			throttled++;
			const delay = backoffDelay(attempt, service.retryAfterMs);
			limiter.requestThrottled(key, workerPace, sentAt, delay);
			await sleep(delay);
		}
		failed++;
	};
	const worker = async () => {
		const limiter = new RequestLimiter();
		// Workers pick their jobs up at slightly different times.
		await sleep(Math.round(random() * 300));
		let next = 0;
		await Promise.all(
			Array.from({ length: service.inFlight }, async () => {
				while (next < perWorker) {
					next++;
					await request(limiter);
				}
			}),
		);
	};

	let done = false;
	const all = Promise.all(Array.from({ length: workers }, worker)).then(() => (done = true));
	while (!done) await jest.advanceTimersByTimeAsync(500);
	await all;
	randomSpy.mockRestore();
	const total = perWorker * workers;
	// The least time `total` starts take at the service's pace: the first window's starts at once.
	const idealMs = Math.floor((total - 1) / service.pace.limit) * service.pace.windowMs;
	const elapsedMs = lastDone - begin;
	return { throttled, failed, elapsedMs, idealMs, ratio: Math.round((elapsedMs / idealMs) * 100) / 100 };
}

const GROWINGIO_SERVICE: Service = { name: 'growingio', pace: GROWINGIO, retryAfterMs: 1000, inFlight: 8 };
const OPENPANEL_SERVICE: Service = { name: 'openpanel', pace: OPENPANEL, retryAfterMs: 10_000, inFlight: 4 };

describe('adaptive rate limiter', () => {
	beforeEach(() => jest.useFakeTimers({ now: Date.now() }));
	afterEach(() => jest.useRealTimers());

	it('a 429 lowers the pace: the next starts are spaced wider', async () => {
		const limiter = new RequestLimiter();
		const starts = sequentialStarts(limiter, 'g', GROWINGIO, 4);
		await jest.advanceTimersByTimeAsync(3000);
		const before = await starts;
		// Unslowed: pairs, a window (plus margins) apart.
		expect(before[1] - before[0]).toBeLessThan(50);

		limiter.requestThrottled('g', GROWINGIO, Date.now(), 0);
		const after = sequentialStarts(limiter, 'g', GROWINGIO, 4);
		await jest.advanceTimersByTimeAsync(5000);
		const slowed = await after;
		// 0.7 of 2 per second: one start per 714 ms, no pairs; each start a little sooner as the
		// share climbs back with time (the cubic: 0.74 after 0.7 s, 0.83 after 2 s).
		for (let i = 1; i < slowed.length; i++) expect(slowed[i] - slowed[i - 1]).toBeGreaterThanOrEqual(590);
		expect(limiter.shareOf('g')).toBeLessThan(0.85);
	});

	it('one lowering per crowd of 429s: a 429 for a request sent before the last lowering does not lower again', () => {
		const limiter = new RequestLimiter();
		const sentAt = Date.now();
		jest.advanceTimersByTime(10);
		limiter.requestThrottled('g', GROWINGIO, sentAt, 0);
		limiter.requestThrottled('g', GROWINGIO, sentAt, 0);
		expect(limiter.shareOf('g')).toBeCloseTo(0.7);
		limiter.requestThrottled('g', GROWINGIO, Date.now(), 0);
		expect(limiter.shareOf('g')).toBeCloseTo(0.49);
	});

	it('accepted requests raise the pace back step by step along a cubic, never above the caller\'s pace', () => {
		const limiter = new RequestLimiter();
		limiter.requestThrottled('g', GROWINGIO, Date.now(), 0);
		const shares = [limiter.shareOf('g')];
		for (let window = 1; window <= 30; window++) {
			jest.advanceTimersByTime(1000);
			limiter.requestAccepted('g', GROWINGIO);
			shares.push(limiter.shareOf('g'));
		}
		// Each accepted request a step up …
		for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]);
		expect(shares[1]).toBeGreaterThan(0.7);
		// … fast at first, slowly near where the 429 hit (the full pace) …
		expect(shares[5] - shares[1]).toBeGreaterThan(shares[14] - shares[10]);
		expect(shares[8]).toBeLessThan(0.99);
		// … and back at the full pace after about 15 windows, not beyond.
		expect(shares[16]).toBe(1);
		expect(Math.max(...shares)).toBe(1);
		expect(slowedPace(GROWINGIO, limiter.shareOf('g'))).toBe(GROWINGIO);
		// No accepted request, no recovery: time alone does not raise it.
		limiter.requestThrottled('idle', GROWINGIO, Date.now(), 0);
		jest.advanceTimersByTime(30_000);
		expect(limiter.shareOf('idle')).toBeCloseTo(0.7);
	});

	it('a caller that never reports answers (an HTTP Request node) still finds the pace recovered when it asks for a slot', async () => {
		const limiter = new RequestLimiter();
		limiter.requestThrottled('h', GROWINGIO, Date.now(), 0);
		jest.advanceTimersByTime(20_000);
		const asked = limiter.waitForRequestSlot('h', GROWINGIO);
		await jest.advanceTimersByTimeAsync(2000);
		await asked;
		expect(limiter.shareOf('h')).toBe(1);
	});

	it('a recovering pace moves the waiting callers\' starts earlier again', async () => {
		const limiter = new RequestLimiter();
		for (let i = 0; i < 4; i++) limiter.requestThrottled('g', GROWINGIO, Date.now(), 0);
		expect(limiter.shareOf('g')).toBeCloseTo(0.7 ** 4); // 0.24: one start per 2.08 s
		jest.advanceTimersByTime(30_000);
		const first = limiter.waitForRequestSlot('g', GROWINGIO).then(() => Date.now());
		const second = limiter.waitForRequestSlot('g', GROWINGIO).then(() => Date.now());
		await jest.advanceTimersByTimeAsync(50);
		const firstAt = await first;
		// Another caller's request is accepted: 30 windows after the 429 the cubic is at the full
		// pace, and the second caller, reserved 2.1 s after the first, may start with it as a pair.
		limiter.requestAccepted('g', GROWINGIO);
		expect(limiter.shareOf('g')).toBe(1);
		await jest.advanceTimersByTimeAsync(3000);
		expect((await second) - firstAt).toBeLessThan(300);
	});

	it('at a shared pace a lone 429 moves the phase without lowering the share; 429s within one window lower it', () => {
		const limiter = new RequestLimiter();
		const shared = shareOfPace(GROWINGIO, 3);
		limiter.requestThrottled('g', shared, Date.now(), 1000, () => 0.5);
		expect(limiter.shareOf('g')).toBe(1);
		jest.advanceTimersByTime(500);
		limiter.requestThrottled('g', shared, Date.now(), 1000, () => 0.5);
		expect(limiter.shareOf('g')).toBeCloseTo(0.7);
	});

	it('a 429 pauses for the backoff and a random part of one start interval more', async () => {
		const limiter = new RequestLimiter();
		const began = Date.now();
		limiter.requestThrottled('g', shareOfPace(GROWINGIO, 3), began, 1000, () => 0.5);
		const start = limiter.waitForRequestSlot('g', shareOfPace(GROWINGIO, 3)).then(() => Date.now());
		await jest.advanceTimersByTimeAsync(3000);
		// 1000 ms Retry-After + half of one start per 2 s.
		expect((await start) - began).toBe(2000);
	});

	it('a slowed pace keeps the window model: fewer starts per window, or one per stretched window', () => {
		expect(slowedPace(GROWINGIO, 0.7)).toEqual({ limit: 1, windowMs: 714 });
		expect(slowedPace(GROWINGIO, 0.35)).toEqual({ limit: 1, windowMs: 1429 });
		expect(slowedPace(OPENPANEL, 0.7)).toEqual({ limit: 70, windowMs: 10_000, marginMs: 200 });
		expect(slowedPace(OPENPANEL, 0.335)).toEqual({ limit: 33, windowMs: 9851, marginMs: 200 });
	});

	it('shares a pace among workers: floor(limit / K) per window when they fit, else one per floor(K / limit) + 1 windows', () => {
		expect(shareOfPace(GROWINGIO, 1)).toBe(GROWINGIO);
		expect(shareOfPace(GROWINGIO, 2)).toEqual({ limit: 1, windowMs: 1000, sharedBy: 2 });
		expect(shareOfPace(GROWINGIO, 3)).toEqual({ limit: 1, windowMs: 2000, sharedBy: 3 });
		expect(shareOfPace(GROWINGIO, 4)).toEqual({ limit: 1, windowMs: 3000, sharedBy: 4 });
		expect(shareOfPace(OPENPANEL, 3)).toEqual({ limit: 33, windowMs: 10_000, marginMs: 200, sharedBy: 3 });
		expect(shareOfPace({ limit: 1, windowMs: 2000 }, 3)).toEqual({ limit: 1, windowMs: 8000, sharedBy: 3 });
	});

	it('three GrowingIO workers at 2 per second each: adapting cuts the 429s about fourfold and loses no item', async () => {
		const figures = await simulateWorkers(GROWINGIO_SERVICE, GROWINGIO);
		console.log(`GrowingIO, 3 workers × 40, adaptive: ${figures.throttled} × 429, ${figures.failed} failed, ${figures.elapsedMs} ms for 120 (ideal ${figures.idealMs} ms), ratio ${figures.ratio}`);
		// Without adapting (each worker at the full pace, pausing only): 143 × 429, 6 items failed, ratio 2.09.
		expect(figures.failed).toBe(0);
		expect(figures.throttled).toBeLessThanOrEqual(45);
		expect(figures.ratio).toBeLessThan(2);
	});

	it('three GrowingIO workers with Workers Sharing This Project = 3 (one start per 2 s each)', async () => {
		const figures = await simulateWorkers(GROWINGIO_SERVICE, shareOfPace(GROWINGIO, 3));
		console.log(`GrowingIO, 3 workers × 40, K = 3: ${figures.throttled} × 429, ${figures.failed} failed, ${figures.elapsedMs} ms for 120 (ideal ${figures.idealMs} ms), ratio ${figures.ratio}`);
		expect(figures.failed).toBe(0);
		// Not 0: no pace of independent workers rules out three starts in one second.
		expect(figures.throttled).toBeLessThanOrEqual(15);
		// One start per 2 s each: 40 × 2025 ms is the least, ratio 1.37.
		expect(figures.ratio).toBeLessThan(1.7);
	});

	it('three OpenPanel workers at 100 per 10 s each, adaptive and with Workers Sharing This Client = 3 (no 429 by construction)', async () => {
		const adaptive = await simulateWorkers(OPENPANEL_SERVICE, OPENPANEL);
		console.log(`OpenPanel, 3 workers × 40, adaptive: ${adaptive.throttled} × 429, ${adaptive.failed} failed, ${adaptive.elapsedMs} ms for 120 (ideal ${adaptive.idealMs} ms), ratio ${adaptive.ratio}`);
		expect(adaptive.failed).toBe(0);
		expect(adaptive.ratio).toBeLessThan(1.2);
		const shared = await simulateWorkers(OPENPANEL_SERVICE, shareOfPace(OPENPANEL, 3));
		console.log(`OpenPanel, 3 workers × 40, K = 3: ${shared.throttled} × 429, ${shared.failed} failed, ${shared.elapsedMs} ms for 120 (ideal ${shared.idealMs} ms), ratio ${shared.ratio}`);
		expect(shared.throttled).toBe(0);
		expect(shared.failed).toBe(0);
	});
});
