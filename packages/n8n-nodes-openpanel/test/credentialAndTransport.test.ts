import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { OpenPanelApi } from '../credentials/OpenPanelApi.credentials';
import { OpenPanel } from '../nodes/OpenPanel/OpenPanel.node';
import { openPanelApiTest } from '../nodes/OpenPanel/methods/credentialTest';
import { releaseTimers } from '../../../test/helpers/harness';
import { startOpenPanelSandbox, type OpenPanelSandbox } from './openpanel-sandbox/server';
import { credentialOf, everythingSaid, runOpenPanel } from './helpers/openPanelRun';

/** The credential, its Test button and the transport's errors, against the OpenPanel imitation. */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const today = { resource: 'event', operation: 'getMany', startDate: day(0), endDate: day(0), returnAll: false, limit: 5 };

let sandbox: OpenPanelSandbox;
beforeAll(async () => (sandbox = await startOpenPanelSandbox()));
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.resetRequests();
	sandbox.clearFaults();
});

async function testButton(data: ICredentialDataDecryptedObject) {
	const context = new CredentialTestContext();
	releaseTimers();
	return await openPanelApiTest.call(context, { id: 'cred-1', name: 'OpenPanel', type: 'openPanelApi', data });
}

describe('credential OpenPanel API', () => {
	it('refuses a Client ID that is not a UUID before any request', async () => {
		const result = await runOpenPanel(credentialOf(sandbox, 'read', { clientId: 'my-client' }), today);
		expect(result.error?.message).toBe(
			'Client ID must be a UUID such as 3f2b6c1e-8d4a-4b7e-9c5f-1a2b3c4d5e6f (got "my-client"). Copy the client ID from OpenPanel\'s project settings → Clients into the OpenPanel credential.',
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('tells a write client to create a read or root client, without the secret', async () => {
		const credential = credentialOf(sandbox, 'write');
		const result = await runOpenPanel(credential, today);
		expect(result.error?.message).toBe('OpenPanel refused the client: it is a write client, which can only track events (401: Export: Client is not allowed to export)');
		expect(result.error?.description).toContain('read (one project) or root (the organization)');
		expect(everythingSaid(result)).not.toContain(credential.clientSecret);
		expect(sandbox.requests).toHaveLength(1);
	});

	it('names the secret when OpenPanel rejects it, and never repeats it', async () => {
		const credential = credentialOf(sandbox, 'read', { clientSecret: 'sec_wrong_but_secret_9z' });
		const result = await runOpenPanel(credential, today);
		expect(result.error?.message).toBe('OpenPanel rejected the credentials (401: Export: Invalid client secret)');
		expect(everythingSaid(result)).not.toContain('sec_wrong_but_secret_9z');
	});

	it('explains a read client asking for another project (403) and a root client without a project (400), without the secrets', async () => {
		const other = await runOpenPanel(credentialOf(sandbox, 'read'), { ...today, projectId: 'acme-app' });
		expect(other.error?.message).toBe('OpenPanel refused access to the events of project "acme-app" (403: You do not have access to this project)');
		const root = await runOpenPanel(credentialOf(sandbox, 'root'), today);
		expect(root.error?.message).toBe("OpenPanel needs a project for the events of the client's project (400: project_id or projectId is required)");
		expect(root.error?.description).toContain('set Project ID');
		expect(everythingSaid(other)).not.toContain(sandbox.clients.read.secret);
		expect(everythingSaid(root)).not.toContain(sandbox.clients.root.secret);
	});

	it('adds the client headers only to requests for the Base URL host', async () => {
		const authenticate = new OpenPanelApi().authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const data = credentialOf(sandbox);
		const toSandbox = await authenticate(data, { url: `${sandbox.url}/export/events` } as IHttpRequestOptions);
		expect(toSandbox.headers).toEqual({ 'openpanel-client-id': data.clientId, 'openpanel-client-secret': data.clientSecret });
		await expect(authenticate(data, { url: 'https://collector.example.com/export/events' } as IHttpRequestOptions)).rejects.toThrow(
			`OpenPanel credentials are only sent to ${sandbox.url}; this request goes to https://collector.example.com.`,
		);
	});

	describe('Test button', () => {
		it('is the node\'s credentialTest method, not a request on the credential', () => {
			expect((new OpenPanelApi() as { test?: unknown }).test).toBeUndefined();
			const node = new OpenPanel();
			expect(node.description.credentials?.[0].testedBy).toBe('openPanelApiTest');
			expect(node.methods.credentialTest.openPanelApiTest).toBe(openPanelApiTest);
		});

		it.each([
			['read', {}, 'OK', 'Connection successful'],
			['write', {}, 'Error', 'This is a write client, which can only track events ("Export: Client is not allowed to export"). Create a read or root client in OpenPanel\'s project settings → Clients and use its ID and secret.'],
			['read', { clientSecret: 'nope' }, 'Error', 'OpenPanel rejected the Client Secret ("Export: Invalid client secret"). Copy it again, or create a new client.'],
			['root', {}, 'Error', 'The client and secret are right, but this is a root client: set Project ID to one of the organization\'s projects ("project_id or projectId is required").'],
			['root', { projectId: 'acme-app' }, 'OK', 'Connection successful'],
		] as const)('%s client %j → %s', async (client, extra, status, message) => {
			const result = await testButton(credentialOf(sandbox, client, extra));
			expect(result).toEqual({ status, message });
			expect(sandbox.requests).toHaveLength(1);
			expect(sandbox.requests[0].path).toBe('/export/events');
		});

		it('refuses a Client ID that is not a UUID without a request', async () => {
			const result = await testButton(credentialOf(sandbox, 'read', { clientId: '12345' }));
			expect(result.status).toBe('Error');
			expect(result.message).toContain('Client ID must be a UUID');
			expect(sandbox.requests).toHaveLength(0);
		});
	});
});

describe('transport faults', () => {
	it.each([
		[{ kind: 'server_error', times: 2 }, 3],
		[{ kind: 'connection_reset' }, 2],
		[{ kind: 'malformed_json' }, 2],
		[{ kind: 'bad_gateway' }, 2],
	] as const)('retries %j and returns the right events', async (fault, requests) => {
		sandbox.addFault(fault);
		const { json, error } = await runOpenPanel(credentialOf(sandbox), today);
		expect(error).toBeUndefined();
		expect(json).toHaveLength(5);
		expect(sandbox.requests).toHaveLength(requests);
	});

	it('waits for the Retry-After of a 429 before trying again', async () => {
		sandbox.addFault({ kind: 'rate_limit', retryAfterSeconds: 2 });
		const { json, error } = await runOpenPanel(credentialOf(sandbox), today);
		expect(error).toBeUndefined();
		expect(json).toHaveLength(5);
		expect(sandbox.requests[1].arrivedAt - sandbox.requests[0].arrivedAt).toBeGreaterThanOrEqual(1900);
	});

	it("fails with OpenPanel's plain-text 500 after its tries", async () => {
		sandbox.addFault({ kind: 'server_error', times: 10 });
		const { error } = await runOpenPanel(credentialOf(sandbox), today);
		expect(error?.message).toBe("OpenPanel failed to answer the events of the client's project (HTTP 500: Internal server error) after 5 tries");
		expect(sandbox.requests).toHaveLength(5);
	}, 60_000);
});
