import { credentialsFor, runSaferMe, withSandbox } from './saferMeSandbox';

describe('SaferMe lists with Range paging, and faults', () => {
	it('pages Channel → Get Many with Range and stops at the Content-Range total or the Limit', async () => {
		await withSandbox(
			async (sandbox) => {
				const credentials = credentialsFor(sandbox);
				const all = await runSaferMe({ resource: 'channel', operation: 'getMany', returnAll: true }, credentials);
				expect(all.json.map((c) => c.id)).toEqual([101, 102, 103]);
				const ranges = sandbox.requests.filter((r) => r.path === '/api/v4/channels').map((r) => r.headers.range);
				expect(ranges).toEqual(['objects=0-99', 'objects=2-101']);
				const limited = await runSaferMe({ resource: 'channel', operation: 'getMany', returnAll: false, limit: 1 }, credentials);
				expect(limited.json.map((c) => c.id)).toEqual([101]);
				expect(sandbox.requests.filter((r) => r.path === '/api/v4/channels').map((r) => r.headers.range).slice(2)).toEqual(['objects=0-0']);
			},
			{ maxPageSize: 2 },
		);
	});

	it('gets forms with their field options as objects, and one form by ID', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const forms = await runSaferMe({ resource: 'form', operation: 'getMany', returnAll: true }, credentials);
			expect(forms.json.map((f) => f.name)).toEqual(['Hazard Report', 'Incident Report']);
			const types = (forms.json[0].fields as Array<{ field_type: string }>).map((f) => f.field_type);
			expect(types).toEqual(expect.arrayContaining(['Category', 'DropDown', 'Radio', 'ShortTextBox', 'CheckBox', 'DateAndTime', 'Image', 'FileUpload', 'IntegerRange']));
			const one = await runSaferMe({ resource: 'form', operation: 'get', formId: '7' }, credentials);
			const severity = (one.json[0].fields as Array<{ id: number; data: { options: Array<{ label: string }> } }>).find((f) => f.id === 22);
			expect(severity?.data.options.map((o) => o.label)).toEqual(['Low', 'Medium', 'High', 'Critical']);
			const missing = await runSaferMe({ resource: 'form', operation: 'get', formId: '999' }, credentials);
			expect(missing.error?.message).toBe('SaferMe found nothing for form 999 (HTTP 404): Form not found');
			const bad = await runSaferMe({ resource: 'form', operation: 'get', formId: 'hazard' }, credentials);
			expect(bad.error?.message).toBe('Form ID "hazard" is not a form ID');
		});
	});

	it('tries again after a 5xx and a reset connection, and gives up with a clear error when SaferMe stays down', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			sandbox.addFault({ pathPrefix: '/api/v4/channels', kind: 'status', status: 503, retryAfter: '0' });
			sandbox.addFault({ pathPrefix: '/api/v4/channels', kind: 'reset' });
			const recovered = await runSaferMe({ resource: 'channel', operation: 'getMany', returnAll: true }, credentials);
			expect(recovered.error).toBeUndefined();
			expect(recovered.json).toHaveLength(3);
			expect(sandbox.requests.filter((r) => r.path === '/api/v4/channels').map((r) => r.status)).toEqual([503, -1, 200]);
			sandbox.addFault({ pathPrefix: '/api/v4/channels', kind: 'status', status: 500, times: 2, retryAfter: '0' });
			const down = await runSaferMe({ resource: 'channel', operation: 'getMany', returnAll: true, options: { maxTries: 2 } }, credentials);
			expect(down.error?.message).toBe('SaferMe did not answer for the channels (HTTP 500): Internal server error');
		});
	});

	it('fails a slow answer after Options → Timeout, and renews a token that expires mid-run', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			sandbox.addFault({ pathPrefix: '/api/v4/forms', kind: 'slow', delayMs: 1500 });
			const slow = await runSaferMe({ resource: 'form', operation: 'getMany', returnAll: true, options: { timeoutMs: 300, maxTries: 1 } }, credentials);
			// n8n's NodeApiError replaces a timeout's message with its own ECONNABORTED text.
			expect(slow.error?.message).toMatch(/^(SaferMe did not answer in time|The connection was aborted)/);
			sandbox.addFault({ pathPrefix: '/api/v4/forms', kind: 'expireToken' });
			const renewed = await runSaferMe({ resource: 'form', operation: 'getMany', returnAll: true }, credentials);
			expect(renewed.error).toBeUndefined();
			expect(renewed.json).toHaveLength(2);
			expect(sandbox.requests.filter((r) => r.path === '/api/v4/session').map((r) => r.method)).toEqual(['POST', 'PATCH']);
		});
	});
});
