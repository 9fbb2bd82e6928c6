import { sleep } from 'n8n-workflow';

import { MAX_RETRY_AFTER_MS } from './retryPolicy';
import { cancellableSleep, throwIfCancelled } from './wait';

/**
 * A window limiter: at most `limit` request starts in any `windowMs` per key (GrowingIO: 2 per
 * 1000 ms per project; OpenPanel: 100 per 10 s per client), so a pair may leave together and the
 * next pair a window later. Each service gives its own pace; keys never mix services.
 *
 * State is module-level on purpose: every item, operation, credential test and concurrent
 * execution in this n8n instance imports the same compiled module, so they all share one budget
 * per key. Other instances (queue-mode workers) are not seen; a 429 tells this one to slow down
 * (RequestLimiter.requestThrottled), and without 429s its pace is exactly the caller's. Start times are reserved synchronously (JavaScript runs one callback at a time), in
 * arrival order; a caller re-checks the starts that really happened when it wakes, so a timer
 * that fired late can never squeeze a third start into a window.
 *
 * The HTTP request itself is sent by n8n, which calls the credential's authenticate hook first;
 * that hook waits for the start. The pace and the execution's cancel signal reach it attached to
 * the request options object.
 */

/** At most `limit` starts in any `windowMs`, kept `marginMs` wider (default SAFETY_MARGIN_MS). */
export interface Pace {
	limit: number;
	windowMs: number;
	marginMs?: number;
	/** The caller's share of a budget that this many uncoordinated instances use (shareOfPace). */
	sharedBy?: number;
}

/**
 * A request reaches the service a little after it starts here (network jitter, n8n's own work
 * between the authenticate hook and the socket): a window is kept this much wider.
 */
const SAFETY_MARGIN_MS = 25;

/**
 * The first request after a quiet spell leaves noticeably later than planned (new connection,
 * cold code paths: 40 ms measured on loopback): it counts as starting this much later.
 */
const COLD_START_ALLOWANCE_MS = 100;

/**
 * A blocked event loop (another workflow serialising a large result, say, or a starved CPU)
 * delays every request that started just before the block until it ends. A heartbeat runs while
 * requests are queued or recent; when it finds the loop was blocked, the starts since its last
 * beat count as starting when the block ended, so the next pair leaves a window after that.
 */
const HEARTBEAT_MS = 20;
/** A timer a few ms late is normal; only blocks longer than this move starts. */
const BLOCK_NOTICE_MS = 5;
/** The heartbeat runs on this long after the last start: a block then still delays that request. */
const HEARTBEAT_AFTER_LAST_START_MS = 1_000;

/** Starts remembered per key; a pace may not ask for more in one window. */
const MAX_LIMIT = 200;

/**
 * Adaptive pace, for several n8n instances (queue-mode workers) that share one budget without
 * seeing each other, after the AWS SDKs' adaptive retry mode: each starts at the caller's pace; a
 * 429 multiplies its share of that pace by THROTTLE_FACTOR, and accepted requests raise it again
 * along a cubic curve in time, never above the caller's pace. 0.7 is the AWS factor: three
 * workers at the full pace are near their third after three 429s each.
 */
const THROTTLE_FACTOR = 0.7;
/**
 * The cubic's scale, in shares per window³: the share climbs back to where the last 429 hit in
 * cbrt(share × 0.3 / RECOVERY_CUBIC) windows (a third: 10 windows; the full pace: 14), stays near
 * it a few windows (where the budget ran out), then probes above it ever faster (a lone instance
 * that met one 429 runs at its full pace again about 15 windows later).
 */
const RECOVERY_CUBIC = 1e-4;
/**
 * At a shared pace (Workers Sharing …), 429s this close together (in windows of that pace) mean
 * more workers than it was set for; a lone one is two workers' phases meeting.
 */
const PERSISTENT_THROTTLE_WINDOWS = 1;
/** The share never drops below this: one start per 20 windows is still progress. */
const MIN_SHARE = 0.05;
/** While a key is slowed, a waiter re-checks its start this often: a recovered pace starts it sooner. */
const SLOWED_RECHECK_MS = 200;

/** A caller waiting for its start; a pause moves `at`. */
interface Waiter {
	at: number;
	pace: Pace;
	/** Starts after a quiet spell: counts COLD_START_ALLOWANCE_MS later. */
	cold: boolean;
	/** When it asked: a recovering pace may move its start earlier again, never before this. */
	askedAt: number;
}

interface KeyState {
	/** When recent requests started, as they count (a cold start later than it was), sorted. */
	starts: number[];
	/** No request starts before this (a 429's Retry-After). */
	pausedUntil: number;
	/** The next reservation follows a pause: it starts after a quiet spell. */
	quietBeforeNext: boolean;
	waiters: Waiter[];
	/** The part of the caller's pace this instance uses now: 1 until a 429, at least MIN_SHARE. */
	share: number;
	/** When the share was last lowered: a 429 for a request sent before then says nothing new. */
	loweredAt: number;
	/** The share when the last 429 hit, where the cubic levels off. */
	shareAtThrottle: number;
	/** When the last 429 came. */
	lastThrottleAt: number;
}

/**
 * `pace` slowed to `share` of its rate, within the window model: fewer starts per window while
 * that is at least one (OpenPanel at 0.7: 70 per 10 s, so a slowed instance bursts less too),
 * the window stretched so that the rate is exactly `share` of the pace (GrowingIO at 0.7: one
 * start per 714 ms).
 */
export function slowedPace(pace: Pace, share: number): Pace {
	if (share >= 1) return pace;
	const startsPerWindow = Math.min(pace.limit, MAX_LIMIT) * share;
	const limit = Math.max(1, Math.floor(startsPerWindow));
	return { ...pace, limit, windowMs: Math.round((pace.windowMs * limit) / startsPerWindow) };
}

/**
 * The pace of one of `workers` instances that share `pace`'s budget without coordination. When
 * they fit (workers ≤ limit), each takes floor(limit / workers) starts per window, so together
 * they never exceed it (OpenPanel, 3 workers: 33 per 10 s each, 99 in any window). When they do
 * not (GrowingIO's 2 per second, 3 workers), no pace of independent workers rules out three
 * starts in one second; each takes one start per floor(workers / limit) + 1 windows (3 workers:
 * one per 2 s), which leaves room for an arrangement without collisions that the adaptive pace
 * then settles into (at exactly one per 1.5 s there is none).
 */
export function shareOfPace(pace: Pace, workers: number): Pace {
	const count = Math.max(1, Math.floor(workers));
	if (count === 1) return pace;
	const limit = Math.min(pace.limit, MAX_LIMIT);
	if (count <= limit) return { ...pace, limit: Math.floor(limit / count), sharedBy: count };
	return { ...pace, limit: 1, windowMs: pace.windowMs * (Math.floor(count / limit) + 1), sharedBy: count };
}

/**
 * The starts, reservations, pauses and adaptive shares of one n8n instance. The nodes use the
 * module-level instance below; tests create several to stand for queue-mode workers.
 */
export class RequestLimiter {
	private readonly states = new Map<string, KeyState>();
	private watching = false;
	private lastStartAt = 0;

	private stateOf(key: string): KeyState {
		let state = this.states.get(key);
		if (!state) {
			state = { starts: [], pausedUntil: 0, quietBeforeNext: false, waiters: [], share: 1, loweredAt: 0, shareAtThrottle: 1, lastThrottleAt: -Infinity };
			this.states.set(key, state);
		}
		return state;
	}

	/**
	 * Reserves the next start for `key` at `pace` and resolves when it has come. Rejects with n8n's
	 * cancellation error as soon as `signal` aborts; a cancelled caller leaves its start to others.
	 */
	async waitForRequestSlot(key: string, pace: Pace, signal?: AbortSignal): Promise<void> {
		throwIfCancelled(signal);
		const state = this.stateOf(key);
		// Callers that never report answers (HTTP Request nodes using a credential) recover the pace too.
		this.recover(state, pace);
		const now = Date.now();
		const waiter = { ...this.reserve(state, pace, now, state.quietBeforeNext), askedAt: now };
		state.quietBeforeNext = false;
		state.waiters.push(waiter);
		this.watchEventLoop();
		let started = false;
		try {
			for (let wait = this.startDelay(state, waiter); wait > 0; wait = this.startDelay(state, waiter)) {
				await cancellableSleep(state.share < 1 ? Math.min(wait, SLOWED_RECHECK_MS) : wait, signal);
			}
			started = true;
		} finally {
			state.waiters.splice(state.waiters.indexOf(waiter), 1);
			if (started) this.recordStart(state, waiter.cold ? Date.now() + COLD_START_ALLOWANCE_MS : Date.now());
		}
	}

	/** The earliest start at `pace` that keeps every window of the starts so far and the reserved ones. */
	private reserve(state: KeyState, pace: Pace, notBefore: number, afterPause: boolean): Omit<Waiter, 'askedAt'> {
		const slowed = slowedPace(pace, state.share);
		const taken = [...state.starts, ...state.waiters.map(countedTime)].sort((a, b) => a - b);
		const lastReserved = state.waiters.length ? state.waiters[state.waiters.length - 1].at : 0;
		const at = Math.max(notBefore, state.pausedUntil, lastReserved, windowEnd(taken, slowed));
		// Quiet spell: nobody is waiting and nothing started in the last window.
		const quiet = state.waiters.length === 0 && !state.starts.some((time) => time > notBefore - slowed.windowMs - SAFETY_MARGIN_MS);
		const cold = afterPause || quiet;
		return { at, pace, cold };
	}

	/** How long `waiter` must still wait: its reservation, a pause, and the starts that really happened. */
	private startDelay(state: KeyState, waiter: Waiter): number {
		return Math.max(waiter.at, state.pausedUntil, windowEnd(state.starts, slowedPace(waiter.pace, state.share))) - Date.now();
	}

	private recordStart(state: KeyState, countsAt: number): void {
		const { starts } = state;
		let index = starts.length;
		while (index > 0 && starts[index - 1] > countsAt) index--;
		starts.splice(index, 0, countsAt);
		if (starts.length > MAX_LIMIT) starts.shift();
		this.lastStartAt = Date.now();
	}

	/**
	 * Holds back every request to `key` for `ms` (after a 429 with Retry-After), at most
	 * MAX_RETRY_AFTER_MS. Callers already waiting keep their order and pace and move behind the
	 * pause, so they do not all start together when it ends.
	 */
	pauseRequests(key: string, ms: number): void {
		const state = this.stateOf(key);
		const resumeAt = Date.now() + Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
		if (resumeAt <= state.pausedUntil) return;
		state.pausedUntil = resumeAt;
		if (state.waiters.length === 0) {
			state.quietBeforeNext = true;
			return;
		}
		// Lay the waiting callers out again from the end of the pause, in order; the first one starts
		// after a quiet spell.
		this.layOutWaiters(state, (waiter) => Math.max(resumeAt, waiter.at), true);
	}

	/** Reserves the waiting callers' starts again, in order, each not before `notBefore(waiter)`. */
	private layOutWaiters(state: KeyState, notBefore: (waiter: Waiter) => number, firstAfterPause: boolean): void {
		const waiting = state.waiters.splice(0).sort((a, b) => a.at - b.at);
		waiting.forEach((waiter, index) => {
			const moved = this.reserve(state, waiter.pace, notBefore(waiter), firstAfterPause && index === 0);
			waiter.at = moved.at;
			waiter.cold = firstAfterPause ? moved.cold : waiter.cold || moved.cold;
			state.waiters.push(waiter);
		});
	}

	/**
	 * A request to `key` at `pace`, sent at `sentAt`, was answered 429: something else uses the
	 * budget too (in queue mode, the other workers). This instance lowers its share of the pace,
	 * unless the request left before the share was last lowered (one lowering per crowd of 429s) or
	 * the pace is already shared and the 429 came alone; and it holds back every caller for
	 * `pauseMs` and a random part of one start's interval, as pauseRequests does.
	 */
	requestThrottled(key: string, pace: Pace, sentAt: number, pauseMs: number, random: () => number = Math.random): void {
		const state = this.stateOf(key);
		const now = Date.now();
		// At a shared pace a lone 429 is a collision with another worker's phase: the pause below moves
		// this one's phase; only 429s that keep coming mean too many workers, and lower the share.
		const persistent = (pace.sharedBy ?? 1) <= 1 || now - state.lastThrottleAt < PERSISTENT_THROTTLE_WINDOWS * pace.windowMs;
		state.lastThrottleAt = now;
		if (sentAt >= state.loweredAt && persistent) {
			state.shareAtThrottle = state.share;
			state.share = Math.max(MIN_SHARE, state.share * THROTTLE_FACTOR);
			state.loweredAt = now;
		}
		// Workers that collided and wait the same Retry-After would meet again: a random part of a
		// window more moves this one's starts to another phase.
		const slowed = slowedPace(pace, state.share);
		this.pauseRequests(key, pauseMs + Math.round((random() * slowed.windowMs) / slowed.limit));
	}

	/**
	 * A request to `key` at `pace` was answered without a 429: the share grows to where the cubic
	 * is now (time since the last lowering, in windows of `pace`), up to the caller's pace; waiting
	 * callers are laid out again at the faster pace.
	 */
	requestAccepted(key: string, pace: Pace): void {
		this.recover(this.stateOf(key), pace);
	}

	/** The share where the cubic is now, since the last lowering; see requestAccepted. */
	private recover(state: KeyState, pace: Pace): void {
		if (state.share >= 1) return;
		const windows = (Date.now() - state.loweredAt) / pace.windowMs;
		const levelsAt = Math.cbrt((state.shareAtThrottle * (1 - THROTTLE_FACTOR)) / RECOVERY_CUBIC);
		const cubic = state.shareAtThrottle + RECOVERY_CUBIC * (windows - levelsAt) ** 3;
		const share = Math.min(1, Math.max(state.share, cubic));
		if (share === state.share) return;
		state.share = share;
		if (state.waiters.length) this.layOutWaiters(state, (waiter) => Math.max(waiter.askedAt, state.pausedUntil), false);
	}

	/** The part of the caller's pace this instance uses for `key` now (1: the full pace). */
	shareOf(key: string): number {
		return this.states.get(key)?.share ?? 1;
	}

	/** Every key's share now, for tests. */
	shares(): Array<[string, number]> {
		return [...this.states].map(([key, state]) => [key, state.share]);
	}

	// -------------------------------------------------------------------------------------------
	// Event-loop blocks, measured while requests are queued or recent.

	private busy(): boolean {
		if (Date.now() - this.lastStartAt < HEARTBEAT_AFTER_LAST_START_MS) return true;
		for (const state of this.states.values()) if (state.waiters.length) return true;
		return false;
	}

	private watchEventLoop(): void {
		if (this.watching) return;
		this.watching = true;
		void (async () => {
			try {
				while (this.busy()) {
					const beat = Date.now();
					await sleep(HEARTBEAT_MS);
					const now = Date.now();
					if (now - beat - HEARTBEAT_MS > BLOCK_NOTICE_MS) this.startsDelayedUntil(beat, now);
				}
			} finally {
				this.watching = false;
			}
		})();
	}

	/** Requests that started in [since, until) were held in this instance until `until`. */
	private startsDelayedUntil(since: number, until: number): void {
		for (const state of this.states.values()) {
			if (!state.starts.some((time) => time >= since && time < until)) continue;
			state.starts = state.starts.map((time) => (time >= since && time < until ? until : time)).sort((a, b) => a - b);
		}
	}

	/** For tests: forget every start, reservation, pause and lowered share. */
	reset(): void {
		this.states.clear();
		this.lastStartAt = 0;
		// A heartbeat left behind under fake timers would never end and block the next one.
		this.watching = false;
	}
}

const countedTime = (waiter: Waiter) => (waiter.cold ? waiter.at + COLD_START_ALLOWANCE_MS : waiter.at);

/** The earliest time a new start keeps at most `limit` starts of `sorted` in one window. */
function windowEnd(sorted: number[], pace: Pace): number {
	const limit = Math.min(pace.limit, MAX_LIMIT);
	if (sorted.length < limit) return 0;
	return sorted[sorted.length - limit] + pace.windowMs + (pace.marginMs ?? SAFETY_MARGIN_MS);
}

/** This n8n instance's limiter: every node, trigger and credential of the package shares it. */
const instanceLimiter = new RequestLimiter();

/** The pace and cancel signal a caller gave, carried with its request options object. */
const requestPaces = new WeakMap<object, Pace>();
const requestCancelSignals = new WeakMap<object, AbortSignal>();
const requestStarts = new WeakMap<object, number>();

/**
 * The pace for a rate: a whole number of requests per second is that many per second; a lower or
 * fractional rate is one request per 1 / rate seconds.
 */
export function paceForRate(requestsPerSecond: number): Pace {
	if (Number.isInteger(requestsPerSecond) && requestsPerSecond >= 1) {
		return { limit: Math.min(requestsPerSecond, MAX_LIMIT), windowMs: 1000 };
	}
	return { limit: 1, windowMs: Math.ceil(1000 / requestsPerSecond) };
}

/** One budget per service, origin (scheme + host) and tenant (project, client, team). */
export function limiterKey(service: string, origin: string, tenant: string): string {
	return `${service}|${origin}|${tenant}`;
}

/** See RequestLimiter.waitForRequestSlot; this n8n instance's limiter. */
export async function waitForRequestSlot(key: string, pace: Pace, signal?: AbortSignal): Promise<void> {
	await instanceLimiter.waitForRequestSlot(key, pace, signal);
}

/** See RequestLimiter.pauseRequests. */
export function pauseRequests(key: string, ms: number): void {
	instanceLimiter.pauseRequests(key, ms);
}

/** See RequestLimiter.requestThrottled. */
export function requestThrottled(key: string, pace: Pace, sentAt: number, pauseMs: number): void {
	instanceLimiter.requestThrottled(key, pace, sentAt, pauseMs);
}

/** For tests: this n8n instance's share of each key's pace (RequestLimiter.shares). */
export function requestShares(): Array<[string, number]> {
	return instanceLimiter.shares();
}

/** See RequestLimiter.requestAccepted. */
export function requestAccepted(key: string, pace: Pace): void {
	instanceLimiter.requestAccepted(key, pace);
}

// ---------------------------------------------------------------------------------------------

export function setRequestPace(requestOptions: object, pace: Pace): void {
	requestPaces.set(requestOptions, pace);
}

/** The pace the caller gave; none for requests n8n sends itself (HTTP Request nodes, logins). */
export function getRequestPace(requestOptions: object): Pace | undefined {
	return requestPaces.get(requestOptions);
}

export function setRequestCancelSignal(requestOptions: object, signal: AbortSignal | undefined): void {
	if (signal) requestCancelSignals.set(requestOptions, signal);
}

/**
 * Marks when a request whose credential waited for its slot really left. A 429 lowers the pace
 * only for requests that left after the last lowering, so the time it asked (before waiting in
 * the queue, which may be seconds) would hide the 429s that matter.
 */
export function setRequestStartedAt(requestOptions: object, at: number): void {
	requestStarts.set(requestOptions, at);
}

export function getRequestStartedAt(requestOptions: object): number | undefined {
	return requestStarts.get(requestOptions);
}

/** The cancel signal of the execution that sends this request; none for polls, list searches and HTTP Request nodes. */
export function getRequestCancelSignal(requestOptions: object): AbortSignal | undefined {
	return requestCancelSignals.get(requestOptions);
}

/** For tests: forget every start, reservation, pause and lowered share. */
export function resetRateLimiter(): void {
	instanceLimiter.reset();
}
