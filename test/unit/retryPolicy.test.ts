import { backoffDelay, describeFailure, parseGrowingIoErrorBody, parseRetryAfter } from '../../nodes/GrowingIo/transport/retryPolicy';

function axiosLike(status: number, data: unknown, headers: Record<string, string> = {}) {
	const error = Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, headers, data },
		config: { headers: { Authorization: 'SECRET-TOKEN' } },
	});
	// n8n wraps the client error; its cause is the original
	return Object.assign(new Error('wrapped'), { cause: error });
}

describe('retry policy', () => {
	it('retries 429 and 5xx, honouring Retry-After', () => {
		const rateLimited = describeFailure(axiosLike(429, '{"message":"Too Many Requests","errors":[]}', { 'retry-after': '2' }));
		expect(rateLimited).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });

		const timeout = describeFailure(
			axiosLike(500, {
				message: 'Request timeout',
				errors: [{ code: 'request_timeout', message: 'Request timeout in 5000 milliseconds' }],
			}),
		);
		expect(timeout).toMatchObject({ retryable: true, status: 500, errorCodes: ['request_timeout'] });
		expect(timeout.message).toBe('Request timeout: Request timeout in 5000 milliseconds');
	});

	it('does not retry 4xx other than 429', () => {
		expect(describeFailure(axiosLike(400, { message: 'bad', errors: [{ code: 'bad_request', message: 'x' }] })).retryable).toBe(false);
		expect(describeFailure(axiosLike(404, '')).retryable).toBe(false);
		expect(describeFailure(axiosLike(401, { message: 'Unauthorized', errors: [] })).retryable).toBe(false);
	});

	it('retries resets and timeouts but not a refused connection', () => {
		const wrap = (code: string) => Object.assign(new Error('x'), { cause: Object.assign(new Error(code), { code }) });
		expect(describeFailure(wrap('ECONNRESET'))).toMatchObject({ kind: 'network', retryable: true });
		expect(describeFailure(wrap('ECONNABORTED'))).toMatchObject({ kind: 'timeout', retryable: true });
		expect(describeFailure(wrap('ECONNREFUSED'))).toMatchObject({ kind: 'network', retryable: false });
	});

	it('recognises an HTML proxy page and keeps only its title', () => {
		const failure = describeFailure(axiosLike(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'));
		expect(failure).toMatchObject({ kind: 'html', detail: '502 Bad Gateway', retryable: true });
	});

	it('keeps nothing of the request, so no token can leak', () => {
		const failure = describeFailure(axiosLike(500, { message: 'x', errors: [] }));
		expect(JSON.stringify(failure)).not.toContain('SECRET-TOKEN');
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
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	it('reads GrowingIO error bodies', () => {
		expect(parseGrowingIoErrorBody('{"message":"Unauthorized","errors":[]}')).toEqual({ message: 'Unauthorized', errorCodes: [] });
	});
});
