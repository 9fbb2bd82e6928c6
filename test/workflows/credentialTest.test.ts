import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunction, ICredentialType, INodeType } from 'n8n-workflow';

import { GrowingIoApi } from '../../credentials/GrowingIoApi.credentials';
import { GrowingIo } from '../../nodes/GrowingIo/GrowingIo.node';
import { growingIoApiTest } from '../../nodes/GrowingIo/methods/credentialTest';
import { resetKeyPairSessions } from '../../nodes/GrowingIo/transport/keyPairLogin';
import { GrowingIoTrigger } from '../../nodes/GrowingIoTrigger/GrowingIoTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { releaseTimers } from '../helpers/harness';
import { keyPairCredentials, secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * The Credential Test button: the nodes' credentialTest method, called the way n8n's
 * CredentialsTester calls it (with n8n-core's CredentialTestContext), against the sandbox.
 */

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.resetRequests();
	resetKeyPairSessions();
});

async function testCredential(data: ICredentialDataDecryptedObject) {
	const context = new CredentialTestContext();
	releaseTimers(); // the context's SSH helpers start n8n-core's cleanup timer
	return await growingIoApiTest.call(context, { id: 'cred-1', name: 'GrowingIO', type: 'growingIoApi', data });
}

describe('which test n8n runs', () => {
	/**
	 * n8n 2.8's CredentialsTester.getCredentialTestFunction returns the credential's own `test`
	 * request when there is one; only otherwise does it look for a node whose credentials entry
	 * names a `testedBy` function in its methods.credentialTest.
	 */
	function testFunctionOf(node: INodeType): ICredentialTestFunction | undefined {
		const entry = node.description.credentials?.find((c) => c.name === 'growingIoApi');
		return typeof entry?.testedBy === 'string' ? node.methods?.credentialTest?.[entry.testedBy] : undefined;
	}

	it('is the nodes\' credentialTest method, on both nodes, and not a request defined on the credential', () => {
		expect((new GrowingIoApi() as ICredentialType).test).toBeUndefined();
		expect(testFunctionOf(new GrowingIo())).toBe(growingIoApiTest);
		expect(testFunctionOf(new GrowingIoTrigger())).toBe(growingIoApiTest);
	});
});

describe('Credential Test', () => {
	it('passes a working API token, naming the project and its ai', async () => {
		const result = await testCredential(tokenCredentials(sandbox));
		expect(result).toEqual({ status: 'OK', message: `Connected to project ${sandbox.project.uid} (ai ${sandbox.project.ai}).` });
		// One check of the Project UID, one of the ai; both with the bare token.
		expect(sandbox.requests.map((r) => [r.path.replace(/\d{8}\.json$/, 'DATE.json'), r.status, r.authorizedWith])).toEqual([
			[`/projects/${sandbox.project.uid}/dashboards.json`, 200, 'apiToken'],
			[`/v2/insights/day/${sandbox.project.ai}/DATE.json`, 200, 'apiToken'],
		]);
	});

	it('does not wait out a 429 that asks for more than 60 s: it says so at once', async () => {
		sandbox.injectFault({ kind: 'rate_limit', times: 1, path: `/projects/${sandbox.project.uid}/dashboards.json`, retryAfterSeconds: 86400 });
		const started = Date.now();
		const result = await testCredential(tokenCredentials(sandbox));
		expect(Date.now() - started).toBeLessThan(10000);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/429/);
		expect(sandbox.requests.map((r) => r.status)).toEqual([429]);
	});

	it('passes a working key pair after one login', async () => {
		const result = await testCredential(keyPairCredentials(sandbox));
		expect(result.status).toBe('OK');
		expect(sandbox.requests.filter((r) => r.path === '/auth/token').map((r) => r.status)).toEqual([200]);
		expect(sandbox.requests.filter((r) => r.countsTowardLimit).map((r) => r.authorizedWith)).toEqual(['keyPairCode', 'keyPairCode']);
	});

	it('passes without a Project ID and says that Raw Export needs it', async () => {
		const result = await testCredential(tokenCredentials(sandbox, { projectId: '' }));
		expect(result).toEqual({ status: 'OK', message: expect.stringMatching(/Project ID is empty: Raw Export needs it/) });
	});

	it('tells a wrong token, a wrong Project UID and a wrong Project ID apart, each with its fix', async () => {
		// The token and ai checks run at once on the same project (one limiter key); the wrong
		// Project UID is another key, so it runs after them.
		const [wrongToken, wrongAi, working] = await Promise.all([
			testCredential(tokenCredentials(sandbox, { apiToken: 'not-the-token-0123456789' })),
			testCredential(tokenCredentials(sandbox, { projectId: 'ffffffffffffffff' })),
			testCredential(tokenCredentials(sandbox)),
		]);
		expect(working.status).toBe('OK');
		// All at once, they still share GrowingIO's 2 requests per second.
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(0);
		const wrongUid = await testCredential(tokenCredentials(sandbox, { projectUid: 'zz99zz99' }));
		const results = [wrongToken, wrongUid, wrongAi];
		expect(wrongToken).toEqual({ status: 'Error', message: expect.stringMatching(/^GrowingIO rejected the API Token \(HTTP 401.*API Token 管理/) });
		expect(wrongUid).toEqual({ status: 'Error', message: expect.stringMatching(/^GrowingIO knows no project with Project UID "zz99zz99" \(HTTP 404.*after \/projects\//) });
		expect(wrongAi).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Token and Project UID "nxog09md" are right, but GrowingIO knows no project with Project ID "ffffffffffffffff" \(HTTP 404.*not the Project UID/),
		});
		const text = JSON.stringify(results);
		for (const secret of [...secretsOf(sandbox), 'not-the-token-0123456789']) expect(text).not.toContain(secret);
	});

	it('names the private key when GrowingIO refuses its signature, and never the keys', async () => {
		const result = await testCredential(keyPairCredentials(sandbox, { privateKey: 'not-the-private-key' }));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^GrowingIO refused the key-pair login \(HTTP 401.*Check the Private Key/) });
		expect(JSON.stringify(result)).not.toContain(sandbox.project.publicKey);
		expect(JSON.stringify(result)).not.toContain('not-the-private-key');
	});

	it('refuses a malformed field before any request, naming it', async () => {
		const result = await testCredential(tokenCredentials(sandbox, { baseUrl: `${sandbox.url}/projects/nxog09md` }));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Base URL .* must be just the scheme and host/) });
		expect(sandbox.requests).toHaveLength(0);
	});
});
