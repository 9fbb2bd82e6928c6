import { htmlTitle, isHtml, statusFailure, type RequestFailure } from '../../../core/transport/retryPolicy';

/** Reads GrowingIO's documented error body shape; tolerant of anything else. */
export function parseGrowingIoErrorBody(body: unknown): { message?: string; errorCodes: string[]; detail?: string } {
	let parsed = body;
	if (typeof body === 'string') {
		const text = body.trim();
		if (/^<(!doctype|html)/i.test(text) || /<html[\s>]/i.test(text)) {
			return { errorCodes: [], detail: htmlTitle(text) };
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

/** A non-2xx answer from GrowingIO: status, its error body and Retry-After. */
export function describeResponse(status: number, headers: Record<string, unknown> | undefined, body: unknown): RequestFailure {
	return statusFailure(status, headers, parseGrowingIoErrorBody(body), isHtml(body));
}
