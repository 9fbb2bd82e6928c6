import { asksTooLongAWait, backoffDelay, describeThrown, parseRetryAfter } from '../../core/transport/retryPolicy';
import { describeResponse, parseGrowingIoErrorBody } from '../../nodes/GrowingIo/transport/errorBody';

/** What n8n's request helper throws: a NodeApiError that keeps only httpCode and a message. */
function thrown(httpCode: string | null, message = 'x') {
	return Object.assign(new Error(message), { httpCode });
}

describe('retry policy', () => {
	it('marks 429 and 5xx retryable and reads their Retry-After', () => {
		const rateLimited = describeResponse(429, { 'retry-after': '2' }, '{"message":"Too Many Requests","errors":[]}');
		expect(rateLimited).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });

		const timeout = describeResponse(500, {}, {
			message: 'Request timeout',
			errors: [{ code: 'request_timeout', message: 'Request timeout in 5000 milliseconds' }],
		});
		expect(timeout).toMatchObject({ retryable: true, status: 500, errorCodes: ['request_timeout'] });
		expect(timeout.message).toBe('Request timeout: Request timeout in 5000 milliseconds');
	});

	it('does not retry 4xx other than 429', () => {
		expect(describeResponse(400, {}, { message: 'bad', errors: [{ code: 'bad_request', message: 'x' }] }).retryable).toBe(false);
		expect(describeResponse(404, {}, '').retryable).toBe(false);
		expect(describeResponse(401, {}, { message: 'Unauthorized', errors: [] }).retryable).toBe(false);
		expect(describeThrown(thrown('401')).retryable).toBe(false);
		expect(describeThrown(thrown('503'))).toMatchObject({ status: 503, retryable: true });
	});

	it('retries resets and timeouts but not a refused connection', () => {
		expect(describeThrown(thrown('ECONNRESET'))).toMatchObject({ kind: 'network', retryable: true });
		expect(describeThrown(thrown('ECONNABORTED'))).toMatchObject({ kind: 'timeout', retryable: true });
		expect(describeThrown(thrown('ECONNREFUSED'))).toMatchObject({ kind: 'network', retryable: false });
	});

	it('recognises an HTML proxy page and keeps only its title', () => {
		const failure = describeResponse(502, {}, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
		expect(failure).toMatchObject({ kind: 'html', detail: '502 Bad Gateway', retryable: true });
	});

	it('treats a throw without httpCode as a credential problem, keeping its message', () => {
		expect(describeThrown(thrown(null, 'GrowingIO refused the key-pair login'))).toMatchObject({
			kind: 'credentials',
			message: 'GrowingIO refused the key-pair login',
			retryable: false,
		});
	});

	it('backs off exponentially with jitter, capped, never below Retry-After', () => {
		expect(backoffDelay(1, undefined, () => 0)).toBe(500);
		expect(backoffDelay(1, undefined, () => 1)).toBe(1000);
		expect(backoffDelay(3, undefined, () => 1)).toBe(4000);
		expect(backoffDelay(20, undefined, () => 1)).toBe(30000);
		expect(backoffDelay(1, 5000, () => 0)).toBe(5000);
	});

	it('parses Retry-After seconds and dates', () => {
		expect(parseRetryAfter('1')).toBe(1000);
		expect(parseRetryAfter('0.5')).toBe(500);
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		// A date already past means "now", not a negative wait.
		expect(parseRetryAfter(new Date(1_000).toUTCString(), 4_000)).toBe(0);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
	});

	it('obeys a Retry-After of up to 60 s and refuses a longer one, for 429 only', () => {
		const rateLimited = (seconds: string) => describeResponse(429, { 'retry-after': seconds }, '');
		expect(asksTooLongAWait(rateLimited('60'))).toBe(false);
		expect(asksTooLongAWait(rateLimited('61'))).toBe(true);
		expect(asksTooLongAWait(rateLimited('86400'))).toBe(true);
		expect(asksTooLongAWait(describeResponse(429, {}, ''))).toBe(false);
		expect(asksTooLongAWait(describeResponse(503, { 'retry-after': '86400' }, ''))).toBe(false);
	});

	it('reads GrowingIO error bodies: message, the errors\' details and codes', () => {
		expect(parseGrowingIoErrorBody('{"message":"Unauthorized","errors":[]}')).toEqual({ message: 'Unauthorized', errorCodes: [] });
		expect(
			parseGrowingIoErrorBody({ message: 'Bad Request', errors: [{ code: 'bad_request', message: 'interval is invalid' }, { code: 'x', message: 'Bad Request' }] }),
		).toEqual({ message: 'Bad Request: interval is invalid', errorCodes: ['bad_request', 'x'] });
		expect(parseGrowingIoErrorBody('upstream said no')).toEqual({ message: 'upstream said no', errorCodes: [] });
		expect(parseGrowingIoErrorBody(null)).toEqual({ errorCodes: [] });
	});
});
