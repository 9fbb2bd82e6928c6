/**
 * Injected failures, queued by tests (or over HTTP by out-of-process users) and consumed by
 * the next matching requests: API paths for every kind except truncated_download, which hits
 * storage downloads. /auth/token is only hit by a fault whose `path` names it.
 */

export const FAULT_KINDS = [
	'request_timeout',
	'connection_reset',
	'slow',
	'malformed_json',
	'html_error',
	'expired_token',
	'rate_limit',
	'truncated_download',
	'bad_request',
	'not_found',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
	kind: FaultKind;
	/** Default 1; Infinity = the whole run. */
	times?: number;
	/** Substring or regex source the request path must match; default any API path. */
	path?: string;
	/** For slow: default 3000. */
	delayMs?: number;
	/** For rate_limit: the Retry-After header, seconds; default 1. */
	retryAfterSeconds?: number;
}

export type FaultTarget = 'api' | 'auth' | 'storage';

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
	pattern?: RegExp;
}

/** Checks a spec from JSON (times may be the string "Infinity"); throws with a readable message. */
export function parseFaultSpec(input: unknown): FaultSpec {
	if (typeof input !== 'object' || input === null) throw new Error('a fault must be a JSON object');
	const raw = input as Record<string, unknown>;
	if (!FAULT_KINDS.includes(raw.kind as FaultKind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
	const spec: FaultSpec = { kind: raw.kind as FaultKind };
	if (raw.times !== undefined && raw.times !== null) {
		const times = raw.times === 'Infinity' ? Infinity : raw.times;
		if (typeof times !== 'number' || !(times === Infinity || (Number.isInteger(times) && times > 0))) {
			throw new Error('times must be a positive integer or "Infinity"');
		}
		spec.times = times;
	}
	if (raw.path !== undefined && raw.path !== null) {
		if (typeof raw.path !== 'string' || !raw.path) throw new Error('path must be a non-empty string');
		spec.path = raw.path;
	}
	if (raw.delayMs !== undefined && raw.delayMs !== null) {
		if (typeof raw.delayMs !== 'number' || !Number.isFinite(raw.delayMs) || raw.delayMs < 0) throw new Error('delayMs must be a number ≥ 0');
		spec.delayMs = raw.delayMs;
	}
	if (raw.retryAfterSeconds !== undefined && raw.retryAfterSeconds !== null) {
		const seconds = raw.retryAfterSeconds;
		if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw new Error('retryAfterSeconds must be a whole number ≥ 0');
		spec.retryAfterSeconds = seconds;
	}
	return spec;
}

function compile(path: string): RegExp | undefined {
	try {
		return new RegExp(path);
	} catch {
		return undefined;
	}
}

export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(spec: FaultSpec): void {
		const checked = parseFaultSpec(spec);
		this.queue.push({ spec: checked, remaining: checked.times ?? 1, pattern: checked.path ? compile(checked.path) : undefined });
	}

	clear(): void {
		this.queue = [];
	}

	pending(): FaultSpec[] {
		return this.queue.map((fault) => ({ ...fault.spec, times: fault.remaining }));
	}

	/** The first queued fault that applies to this request, with one use consumed. */
	take(path: string, target: FaultTarget): FaultSpec | undefined {
		const index = this.queue.findIndex((fault) => this.applies(fault, path, target));
		if (index < 0) return undefined;
		const fault = this.queue[index];
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.queue.splice(index, 1);
		return fault.spec;
	}

	private applies(fault: QueuedFault, path: string, target: FaultTarget): boolean {
		const forStorage = fault.spec.kind === 'truncated_download';
		if (forStorage !== (target === 'storage')) return false;
		if (fault.spec.path === undefined) return target !== 'auth';
		return path.includes(fault.spec.path) || !!fault.pattern?.test(path);
	}
}
