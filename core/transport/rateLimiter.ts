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
 * per key. Start times are reserved synchronously (JavaScript runs one callback at a time), in
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

/** A caller waiting for its start; a pause moves `at`. */
interface Waiter {
	at: number;
	pace: Pace;
	/** Starts after a quiet spell: counts COLD_START_ALLOWANCE_MS later. */
	cold: boolean;
}

interface KeyState {
	/** When recent requests started, as they count (a cold start later than it was), sorted. */
	starts: number[];
	/** No request starts before this (a 429's Retry-After). */
	pausedUntil: number;
	/** The next reservation follows a pause: it starts after a quiet spell. */
	quietBeforeNext: boolean;
	waiters: Waiter[];
}

const states = new Map<string, KeyState>();

/** The pace and cancel signal a caller gave, carried with its request options object. */
const requestPaces = new WeakMap<object, Pace>();
const requestCancelSignals = new WeakMap<object, AbortSignal>();

function stateOf(key: string): KeyState {
	let state = states.get(key);
	if (!state) {
		state = { starts: [], pausedUntil: 0, quietBeforeNext: false, waiters: [] };
		states.set(key, state);
	}
	return state;
}

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

/**
 * Reserves the next start for `key` at `pace` and resolves when it has come. Rejects with n8n's
 * cancellation error as soon as `signal` aborts; a cancelled caller leaves its start to others.
 */
export async function waitForRequestSlot(key: string, pace: Pace, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	const state = stateOf(key);
	const waiter = reserve(state, pace, Date.now(), state.quietBeforeNext);
	state.quietBeforeNext = false;
	state.waiters.push(waiter);
	watchEventLoop();
	let started = false;
	try {
		for (let wait = startDelay(state, waiter); wait > 0; wait = startDelay(state, waiter)) {
			await cancellableSleep(wait, signal);
		}
		started = true;
	} finally {
		state.waiters.splice(state.waiters.indexOf(waiter), 1);
		if (started) recordStart(state, waiter.cold ? Date.now() + COLD_START_ALLOWANCE_MS : Date.now());
	}
}

/** The earliest start at `pace` that keeps every window of the starts so far and the reserved ones. */
function reserve(state: KeyState, pace: Pace, notBefore: number, afterPause: boolean): Waiter {
	const taken = [...state.starts, ...state.waiters.map(countedTime)].sort((a, b) => a - b);
	const lastReserved = state.waiters.length ? state.waiters[state.waiters.length - 1].at : 0;
	const at = Math.max(notBefore, state.pausedUntil, lastReserved, windowEnd(taken, pace));
	// Quiet spell: nobody is waiting and nothing started in the last window.
	const quiet = state.waiters.length === 0 && !state.starts.some((time) => time > notBefore - pace.windowMs - SAFETY_MARGIN_MS);
	const cold = afterPause || quiet;
	return { at, pace, cold };
}

const countedTime = (waiter: Waiter) => (waiter.cold ? waiter.at + COLD_START_ALLOWANCE_MS : waiter.at);

/** The earliest time a new start keeps at most `limit` starts of `sorted` in one window. */
function windowEnd(sorted: number[], pace: Pace): number {
	const limit = Math.min(pace.limit, MAX_LIMIT);
	if (sorted.length < limit) return 0;
	return sorted[sorted.length - limit] + pace.windowMs + (pace.marginMs ?? SAFETY_MARGIN_MS);
}

/** How long `waiter` must still wait: its reservation, a pause, and the starts that really happened. */
function startDelay(state: KeyState, waiter: Waiter): number {
	return Math.max(waiter.at, state.pausedUntil, windowEnd(state.starts, waiter.pace)) - Date.now();
}

function recordStart(state: KeyState, countsAt: number): void {
	const { starts } = state;
	let index = starts.length;
	while (index > 0 && starts[index - 1] > countsAt) index--;
	starts.splice(index, 0, countsAt);
	if (starts.length > MAX_LIMIT) starts.shift();
	lastStartAt = Date.now();
}

/**
 * Holds back every request to `key` for `ms` (after a 429 with Retry-After), at most
 * MAX_RETRY_AFTER_MS. Callers already waiting keep their order and pace and move behind the
 * pause, so they do not all start together when it ends.
 */
export function pauseRequests(key: string, ms: number): void {
	const state = stateOf(key);
	const resumeAt = Date.now() + Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
	if (resumeAt <= state.pausedUntil) return;
	state.pausedUntil = resumeAt;
	if (state.waiters.length === 0) {
		state.quietBeforeNext = true;
		return;
	}
	// Lay the waiting callers out again from the end of the pause, in order; the first one starts
	// after a quiet spell.
	const waiting = state.waiters.splice(0).sort((a, b) => a.at - b.at);
	waiting.forEach((waiter, index) => {
		const moved = reserve(state, waiter.pace, Math.max(resumeAt, waiter.at), index === 0);
		waiter.at = moved.at;
		waiter.cold = moved.cold;
		state.waiters.push(waiter);
	});
}

// ---------------------------------------------------------------------------------------------
// Event-loop blocks, measured while requests are queued or recent.

let watching = false;
let lastStartAt = 0;

function busy(): boolean {
	if (Date.now() - lastStartAt < HEARTBEAT_AFTER_LAST_START_MS) return true;
	for (const state of states.values()) if (state.waiters.length) return true;
	return false;
}

function watchEventLoop(): void {
	if (watching) return;
	watching = true;
	void (async () => {
		try {
			while (busy()) {
				const beat = Date.now();
				await sleep(HEARTBEAT_MS);
				const now = Date.now();
				if (now - beat - HEARTBEAT_MS > BLOCK_NOTICE_MS) startsDelayedUntil(beat, now);
			}
		} finally {
			watching = false;
		}
	})();
}

/** Requests that started in [since, until) were held in this instance until `until`. */
function startsDelayedUntil(since: number, until: number): void {
	for (const state of states.values()) {
		if (!state.starts.some((time) => time >= since && time < until)) continue;
		state.starts = state.starts.map((time) => (time >= since && time < until ? until : time)).sort((a, b) => a - b);
	}
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

/** The cancel signal of the execution that sends this request; none for polls, list searches and HTTP Request nodes. */
export function getRequestCancelSignal(requestOptions: object): AbortSignal | undefined {
	return requestCancelSignals.get(requestOptions);
}

/** For tests: forget every start, reservation and pause. */
export function resetRateLimiter(): void {
	states.clear();
	lastStartAt = 0;
	// A heartbeat left behind under fake timers would never end and block the next one.
	watching = false;
}
