/**
 * What went wrong with one attempt, and whether trying again can help.
 * Built from the HTTP client's error without keeping it: that error holds the request headers,
 * i.e. the token, and must never reach an output or a log.
 */
export interface RequestFailure {
	kind: 'http' | 'network' | 'timeout' | 'invalid_json' | 'html' | 'credentials';
	status?: number;
	/** GrowingIO's `{message, errors:[{code, message}]}` body, when there was one. */
	message?: string;
	errorCodes: string[];
	/** Network error code (ECONNRESET …) or a short page title for HTML bodies. */
	detail?: string;
	retryAfterMs?: number;
	retryable: boolean;
}

const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

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

/** Reads GrowingIO's documented error body shape; tolerant of anything else. */
export function parseGrowingIoErrorBody(body: unknown): { message?: string; errorCodes: string[]; detail?: string } {
	let parsed = body;
	if (typeof body === 'string') {
		const text = body.trim();
		if (/^<(!doctype|html)/i.test(text) || /<html[\s>]/i.test(text)) {
			const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
			return { errorCodes: [], detail: title || 'an HTML page' };
		}
		try {
			parsed = JSON.parse(text);
		} catch {
			return { message: text ? text.slice(0, 200) : undefined, errorCodes: [] };
		}
	}
	if (!parsed || typeof parsed !== 'object') return { errorCodes: [] };
	const { message, errors } = parsed as { message?: unknown; errors?: unknown };
	const list = Array.isArray(errors) ? (errors as Array<{ code?: unknown; message?: unknown }>) : [];
	const details = list.map((e) => e?.message).filter((m): m is string => typeof m === 'string' && m !== message);
	return {
		message: [typeof message === 'string' ? message : undefined, ...details].filter(Boolean).join(': ') || undefined,
		errorCodes: list.map((e) => e?.code).filter((c): c is string => typeof c === 'string'),
	};
}

function isHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*<(!doctype|html)/i.test(body);
}

/** Turns whatever an attempt threw into a RequestFailure. */
export function describeFailure(error: unknown): RequestFailure {
	// n8n wraps the client error in a NodeApiError whose `cause` is the original.
	const original = (error as { cause?: unknown })?.cause ?? error;
	const name = (original as Error)?.name;
	if (name === 'CredentialConfigError') {
		return { kind: 'credentials', message: (original as Error).message, errorCodes: [], retryable: false };
	}
	const response = (original as { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } })?.response;
	const code = (original as { code?: string })?.code;

	if (response?.status) {
		const status = response.status;
		const body = parseGrowingIoErrorBody(response.data);
		return {
			kind: isHtml(response.data) ? 'html' : 'http',
			status,
			...body,
			retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
			retryable: status === 429 || status >= 500,
		};
	}
	if (code && TIMEOUT_CODES.has(code)) {
		return { kind: 'timeout', detail: code, errorCodes: [], retryable: true };
	}
	return {
		kind: 'network',
		detail: code ?? (original as Error)?.message,
		errorCodes: [],
		// A refused connection or unknown host is a wrong Base URL, not a hiccup.
		retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
	};
}
