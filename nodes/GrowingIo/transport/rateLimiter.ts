import { sleep } from 'n8n-workflow';

/**
 * Spaces the *start* of requests to one GrowingIO project.
 *
 * State is module-level on purpose: every item, operation, credential test and concurrent
 * execution in this n8n process imports the same module, so they all share one budget per
 * project. Slots are reserved synchronously (JavaScript runs one callback at a time), so two
 * callers can never take the same slot. Spacing start times rather than completions means a
 * slow response does not waste budget.
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

const nextFreeSlot = new Map<string, number>();
/** When the last request to each key actually started (its timer may have fired late). */
const lastStart = new Map<string, number>();

/** The request interval (ms) a caller asked for, carried with its request options object. */
const requestIntervals = new WeakMap<object, number>();

export function intervalForRate(requestsPerSecond: number): number {
	return Math.ceil((1000 / requestsPerSecond) * SAFETY_MARGIN);
}

export function limiterKey(baseUrl: string, projectUid: string): string {
	return `${baseUrl}|${projectUid}`;
}

/** Reserves the next start time for `key` and resolves when it has come. */
export async function waitForRequestSlot(key: string, intervalMs: number): Promise<void> {
	const now = Date.now();
	const free = nextFreeSlot.get(key) ?? 0;
	const burstStart = free < now;
	const slot = Math.max(now, free);
	nextFreeSlot.set(key, slot + intervalMs + (burstStart ? BURST_START_ALLOWANCE_MS : 0));
	if (slot > now) await sleep(slot - now);
	// On a busy event loop a timer fires late, and a late start would share a one-second window
	// with the next requests' on-time starts: keep actual starts at least one interval apart.
	for (let wait = (lastStart.get(key) ?? 0) + intervalMs - Date.now(); wait > 0; wait = (lastStart.get(key) ?? 0) + intervalMs - Date.now()) {
		await sleep(wait);
	}
	lastStart.set(key, Date.now());
}

/** Holds back every request to `key` for `ms` (used after a 429 with Retry-After). */
export function pauseRequests(key: string, ms: number): void {
	const resumeAt = Date.now() + ms;
	if ((nextFreeSlot.get(key) ?? 0) < resumeAt) nextFreeSlot.set(key, resumeAt);
}

export function setRequestInterval(requestOptions: object, intervalMs: number): void {
	requestIntervals.set(requestOptions, intervalMs);
}

export function getRequestInterval(requestOptions: object): number {
	return requestIntervals.get(requestOptions) ?? intervalForRate(DEFAULT_REQUESTS_PER_SECOND);
}

/** For tests: forget every reservation. */
export function resetRateLimiter(): void {
	nextFreeSlot.clear();
	lastStart.clear();
}
