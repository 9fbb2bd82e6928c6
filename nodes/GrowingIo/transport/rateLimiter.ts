import { MAX_RETRY_AFTER_MS } from './retryPolicy';
import { cancellableSleep, throwIfCancelled } from '../../../core/transport/wait';

/**
 * Spaces the *start* of requests to one GrowingIO project.
 *
 * State is module-level on purpose: every item, operation, credential test and concurrent
 * execution in this n8n process imports the same module, so they all share one budget per
 * project. Slots are reserved synchronously (JavaScript runs one callback at a time), so two
 * callers can never take the same slot. Spacing start times rather than completions means a
 * slow response does not waste budget.
 *
 * The HTTP request itself is sent by n8n, which calls the credential's authenticate hook first;
 * that hook waits for the slot. The pace and the execution's cancel signal reach it attached to
 * the request options object.
 */

/** GrowingIO documents 2 requests per second for chart downloads and raw export. */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

/**
 * Requests are spaced 3 % wider than 1 / rate, so that if one request reaches GrowingIO up to
 * 30 ms later than planned (network jitter, a busy event loop), it still can't share a one-second
 * window with the two that follow it.
 */
const SAFETY_MARGIN = 1.03;

/**
 * The first request after a quiet spell leaves noticeably later than planned (new connection,
 * cold code paths: 40 ms measured on loopback), so the request after it waits this much longer.
 */
const BURST_START_ALLOWANCE_MS = 100;

/** A caller waiting for its start time; a pause moves `at`. */
interface Waiter {
	at: number;
	intervalMs: number;
}

interface KeyState {
	nextFreeSlot: number;
	/** When the last request to this key actually started (its timer may have fired late). */
	lastStart: number;
	/** The interval the last started request asked for. */
	lastInterval: number;
	/** No request starts before this (a 429's Retry-After). */
	pausedUntil: number;
	/** The next reservation follows a pause with nobody waiting: it starts after a quiet spell. */
	quietBeforeNext: boolean;
	waiters: Set<Waiter>;
}

const states = new Map<string, KeyState>();

/** The request interval (ms) and cancel signal a caller gave, carried with its request options object. */
const requestIntervals = new WeakMap<object, number>();
const requestCancelSignals = new WeakMap<object, AbortSignal>();

function stateOf(key: string): KeyState {
	let state = states.get(key);
	if (!state) {
		state = { nextFreeSlot: 0, lastStart: 0, lastInterval: 0, pausedUntil: 0, quietBeforeNext: false, waiters: new Set() };
		states.set(key, state);
	}
	return state;
}

export function intervalForRate(requestsPerSecond: number): number {
	return Math.ceil((1000 / requestsPerSecond) * SAFETY_MARGIN);
}

export function limiterKey(baseUrl: string, projectUid: string): string {
	return `${baseUrl}|${projectUid}`;
}

/**
 * Reserves the next start time for `key` and resolves when it has come. Rejects with n8n's
 * cancellation error as soon as `signal` aborts.
 */
export async function waitForRequestSlot(key: string, intervalMs: number, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	const state = stateOf(key);
	const now = Date.now();
	const burstStart = state.nextFreeSlot < now || state.quietBeforeNext;
	const waiter: Waiter = { at: Math.max(now, state.nextFreeSlot), intervalMs };
	state.nextFreeSlot = waiter.at + intervalMs + (burstStart ? BURST_START_ALLOWANCE_MS : 0);
	state.quietBeforeNext = false;
	state.waiters.add(waiter);
	try {
		// Checked again after every wake-up: a pause may have moved this caller's start while it
		// slept, and on a busy event loop a timer fires late, and a late start would share a
		// one-second window with the next requests' on-time starts, so actual starts also stay
		// at least one interval apart.
		for (let wait = startDelay(state, waiter); wait > 0; wait = startDelay(state, waiter)) {
			await cancellableSleep(wait, signal);
		}
	} catch (error) {
		state.waiters.delete(waiter);
		releaseUnusedSlots(state);
		throw error;
	}
	state.waiters.delete(waiter);
	state.lastStart = Date.now();
	state.lastInterval = intervalMs;
}

/**
 * A stopped execution's callers leave their slots unused; when they were the last ones
 * reserved, the next caller need not wait for them.
 */
function releaseUnusedSlots(state: KeyState): void {
	const lastReserved = Math.max(
		state.lastStart + state.lastInterval,
		state.pausedUntil,
		...[...state.waiters].map((waiter) => waiter.at + waiter.intervalMs),
	);
	if (lastReserved < state.nextFreeSlot) state.nextFreeSlot = lastReserved;
}

function startDelay(state: KeyState, waiter: Waiter): number {
	return Math.max(waiter.at, state.lastStart + waiter.intervalMs, state.pausedUntil) - Date.now();
}

/**
 * Holds back every request to `key` for `ms` (after a 429 with Retry-After), at most
 * MAX_RETRY_AFTER_MS. Callers already waiting keep their order and spacing and move behind the
 * pause, so they do not all start together when it ends.
 */
export function pauseRequests(key: string, ms: number): void {
	const state = stateOf(key);
	const resumeAt = Date.now() + Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
	if (resumeAt <= state.pausedUntil) return;
	state.pausedUntil = resumeAt;
	const waiting = [...state.waiters].sort((a, b) => a.at - b.at);
	if (waiting.length === 0 || waiting[0].at >= resumeAt) {
		if (state.nextFreeSlot < resumeAt) {
			state.nextFreeSlot = resumeAt;
			state.quietBeforeNext = true;
		}
		return;
	}
	// Lay the waiting callers out again from the end of the pause, at their own pace; the first
	// one starts after a quiet spell, so the one after it leaves the burst allowance too.
	let free = resumeAt;
	waiting.forEach((waiter, index) => {
		waiter.at = Math.max(free, index === 0 ? resumeAt : waiter.at);
		free = waiter.at + waiter.intervalMs + (index === 0 ? BURST_START_ALLOWANCE_MS : 0);
	});
	state.nextFreeSlot = Math.max(state.nextFreeSlot, free);
}

export function setRequestInterval(requestOptions: object, intervalMs: number): void {
	requestIntervals.set(requestOptions, intervalMs);
}

export function getRequestInterval(requestOptions: object): number {
	return requestIntervals.get(requestOptions) ?? intervalForRate(DEFAULT_REQUESTS_PER_SECOND);
}

export function setRequestCancelSignal(requestOptions: object, signal: AbortSignal | undefined): void {
	if (signal) requestCancelSignals.set(requestOptions, signal);
}

/** The cancel signal of the execution that sends this request; none for polls, list searches and HTTP Request nodes. */
export function getRequestCancelSignal(requestOptions: object): AbortSignal | undefined {
	return requestCancelSignals.get(requestOptions);
}

/** For tests: forget every reservation and pause. */
export function resetRateLimiter(): void {
	states.clear();
}
