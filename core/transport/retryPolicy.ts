/**
 * What went wrong with one attempt, and whether trying again can help.
 * Built from the HTTP client's error without keeping it: that error holds the request headers,
 * i.e. the token, and must never reach an output or a log.
 */
export interface RequestFailure {
	kind: 'http' | 'network' | 'timeout' | 'invalid_json' | 'html' | 'credentials';
	status?: number;
	/** What the service's error body said, when there was one. */
	message?: string;
	errorCodes: string[];
	/** Network error code (ECONNRESET …) or a short page title for HTML bodies. */
	detail?: string;
	retryAfterMs?: number;
	retryable: boolean;
}

/**
 * The connection broke after it was made: reset before the answer (ECONNRESET, EPIPE), or cut in
 * the middle of it (axios's ERR_BAD_RESPONSE, "stream has been aborted"). Worth another try.
 */
export const BROKEN_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_BAD_RESPONSE']);
const RETRYABLE_NETWORK_CODES = new Set([...BROKEN_CONNECTION_CODES, 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/**
 * The longest Retry-After obeyed. A longer one (GrowingIO has answered a day) fails the item
 * instead: the pause would hold back every workflow using the account, far beyond any run.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Whether the service asked for a longer wait than these packages make (see MAX_RETRY_AFTER_MS). */
export function asksTooLongAWait(failure: RequestFailure): boolean {
	return failure.status === 429 && (failure.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so that clients that failed
 * together do not retry together; never shorter than the server's Retry-After.
 */
export function backoffDelay(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
	const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
	const jittered = Math.round(exponential / 2 + (exponential / 2) * random());
	return Math.max(jittered, retryAfterMs ?? 0);
}

/** Whether an answer is a web page (a proxy's or gateway's), not the API's data. */
export function isHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*<(!doctype|html)/i.test(body);
}

/** The page's title, to name it in an error. */
export function htmlTitle(text: string): string {
	return /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim() || 'an HTML page';
}

/** What the service's error body said: each service reads its own body shape. */
export interface ErrorBodySaid {
	message?: string;
	errorCodes: string[];
	detail?: string;
}

/** A non-2xx answer: retried when it is a 429 or a 5xx, after the Retry-After it sent. */
export function statusFailure(status: number, headers: Record<string, unknown> | undefined, said: ErrorBodySaid, html = false): RequestFailure {
	return {
		kind: html ? 'html' : 'http',
		status,
		...said,
		retryAfterMs: parseRetryAfter(headers?.['retry-after']),
		retryable: status === 429 || status >= 500,
	};
}

/**
 * Something n8n's request helper threw. It wraps client errors in a NodeApiError that keeps
 * only `httpCode` (an HTTP status, or a network code such as ECONNRESET) and a message; no
 * `httpCode` means our own credential code refused (bad field, failed key-pair login).
 */
export function describeThrown(error: unknown): RequestFailure {
	const httpCode = (error as { httpCode?: unknown })?.httpCode;
	const code = typeof httpCode === 'string' || typeof httpCode === 'number' ? String(httpCode) : undefined;
	if (code && /^\d{3}$/.test(code)) return statusFailure(Number(code), undefined, { errorCodes: [] });
	if (code && TIMEOUT_CODES.has(code)) return { kind: 'timeout', detail: code, errorCodes: [], retryable: true };
	if (code) {
		// A refused connection or an unknown host is a wrong Base URL, not a hiccup.
		return { kind: 'network', detail: code, errorCodes: [], retryable: RETRYABLE_NETWORK_CODES.has(code) };
	}
	return { kind: 'credentials', message: (error as Error)?.message, errorCodes: [], retryable: false };
}
