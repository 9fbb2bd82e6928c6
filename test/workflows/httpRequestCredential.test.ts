import type { IDataObject } from 'n8n-workflow';

import { resetKeyPairSessions } from '../../nodes/GrowingIo/transport/keyPairLogin';
import { CHARTS } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, growingIoWorkflow, nodeResult, runWorkflow, type TestCredentialsHelper } from '../helpers/harness';
import { keyPairCredentials, tokenCredentials } from '../helpers/sandboxClient';

/**
 * The GrowingIO credential used by another node, as in n8n's HTTP Request node with
 * Authentication "Predefined Credential Type": n8n's legacy request path (`uri`, and a new
 * preAuthentication after any failure), through n8n-core's real requestWithAuthentication.
 */

let sandbox: Sandbox;
let storage: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	// Another host, standing in for the third-party storage of raw-export links.
	storage = await startSandbox({ quiet: true });
});
afterAll(async () => {
	await sandbox.close();
	await storage.close();
});
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
	storage.resetRequests();
	// Each test starts like a fresh n8n process: no key-pair code cached.
	resetKeyPairSessions();
});

const ITEMS = CHARTS.slice(0, 10).map((chart) => ({ json: { chartId: chart.id } }));

/** Manual → the HTTP Request stand-in, with the GrowingIO credential. */
const httpRequestWorkflow = (url: string) => growingIoWorkflow({ url }, { type: 'test.httpRequestStandIn' });

async function runCharts(helper: TestCredentialsHelper, base = sandbox.url) {
	const url = `=${base}/v2/projects/${sandbox.project.uid}/charts/{{ $json.chartId }}.json`;
	const result = await runWorkflow({ workflow: httpRequestWorkflow(url), credentialsHelper: helper, input: ITEMS });
	return nodeResult(result);
}

const logins = () => sandbox.requests.filter((r) => r.path === '/auth/token');
const chartRequests = () => sandbox.requests.filter((r) => r.path.includes('/charts/'));

describe('the GrowingIO credential in an HTTP Request node', () => {
	it('authenticates 10 chart requests with the bare API token, paced at 2 per second', async () => {
		const { json, error } = await runCharts(credentialsFor(tokenCredentials(sandbox)));
		expect(error).toBeUndefined();
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => undefined));
		for (const [index, item] of json.entries()) {
			const body = item.body as { meta?: unknown[]; data?: unknown[] };
			expect({ index, rows: (body.data?.length ?? 0) > 0, meta: Array.isArray(body.meta) }).toEqual({ index, rows: true, meta: true });
		}
		const requests = chartRequests();
		expect(requests.map((r) => [r.status, r.authorizedWith])).toEqual(ITEMS.map(() => [200, 'apiToken']));
		expect(requests.map((r) => r.path).sort()).toEqual(ITEMS.map((i) => `/v2/projects/${sandbox.project.uid}/charts/${i.json.chartId}.json`).sort());
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		// Ten requests, at most 2 in any second, cannot start within less than 4 s (five pairs).
		expect(requests.at(-1)!.arrivedAt - requests[0].arrivedAt).toBeGreaterThanOrEqual(4000);
		// n8n's own request layer sits between the credential and the socket: these requests keep a
		// window 150 ms wider than the node's own (25 ms).
		const times = requests.map((r) => r.arrivedAt).sort((a, b) => a - b);
		for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(1100);
	});

	it('logs in with the key pair exactly once for 10 items and sends its code', async () => {
		const helper = credentialsFor(keyPairCredentials(sandbox));
		const { json, error } = await runCharts(helper);
		expect(error).toBeUndefined();
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => undefined));
		expect(logins().map((r) => r.status)).toEqual([200]);
		expect(chartRequests().map((r) => [r.status, r.authorizedWith])).toEqual(ITEMS.map(() => [200, 'keyPairCode']));
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		expect(helper.stored('growingIoApi').sessionToken).toBe(sandbox.issuedCodes().at(-1));
	});

	it('does not log in again when GrowingIO answers an item with a 429: the code is checked, and the item is sent again', async () => {
		sandbox.injectFault({ kind: 'rate_limit', times: 1, path: `/charts/${ITEMS[3].json.chartId}` });
		const { json } = await runCharts(credentialsFor(keyPairCredentials(sandbox)));
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => undefined));
		expect(logins()).toHaveLength(1);
		const refused = chartRequests().filter((r) => r.path.endsWith(`/${ITEMS[3].json.chartId}.json`));
		expect(refused.map((r) => r.status)).toEqual([429, 200]);
		// The check of the code and the second try take their slots like any request.
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('refuses to send the credential to another host, and that refusal triggers no new key-pair login', async () => {
		const helper = credentialsFor(keyPairCredentials(sandbox));
		const { json } = await runCharts(helper, storage.url);
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => expect.stringContaining(`only sent to ${sandbox.url}; this request goes to ${storage.url}`)));
		expect(storage.requests).toHaveLength(0);
		// The first request of the run logs in (the stored code is empty); the refusals add none.
		expect(logins()).toHaveLength(1);
	});
});

describe('key-pair codes from several n8n processes', () => {
	async function logInElsewhere(): Promise<string> {
		const { signAuthToken } = await import('../../sandbox/server');
		const { uid, ai, publicKey, privateKey } = sandbox.project;
		const tm = Date.now();
		const response = await fetch(`${sandbox.url}/auth/token`, {
			method: 'POST',
			headers: { 'X-Client-Id': publicKey, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `project=${uid}&ai=${ai}&tm=${tm}&auth=${signAuthToken(privateKey, uid, ai, tm)}`,
		});
		return ((await response.json()) as { code: string }).code;
	}

	it('does not hand back this process\'s cached code when the stored one was issued later', async () => {
		// This process logs in and caches code A.
		await runCharts(credentialsFor(keyPairCredentials(sandbox)));
		// Another process logs in (code B, which invalidates A) and stores B with its issue time.
		const codeB = await logInElsewhere();
		const helper = credentialsFor({ ...keyPairCredentials(sandbox), sessionToken: codeB, sessionIssuedAt: Date.now() });
		// B is then replaced too, so the next request is refused and n8n asks for a new code.
		sandbox.injectFault({ kind: 'expired_token', times: 1, path: '/charts/' });
		sandbox.resetRequests();

		const { json } = await runCharts(helper);
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => undefined));
		expect(logins()).toHaveLength(1);
		expect(helper.stored('growingIoApi').sessionToken).toBe(sandbox.issuedCodes().at(-1));
		expect(Number(helper.stored('growingIoApi').sessionIssuedAt)).toBeGreaterThan(0);
	});
});

describe('key-pair login when GrowingIO fails on its side', () => {
	it('retries a 500 and a connection reset with backoff and then logs in', async () => {
		sandbox.injectFault({ kind: 'request_timeout', times: 1, path: '/auth/token' });
		sandbox.injectFault({ kind: 'connection_reset', times: 1, path: '/auth/token' });
		const { json } = await runCharts(credentialsFor(keyPairCredentials(sandbox)));
		expect(json.map((item) => item.error)).toEqual(ITEMS.map(() => undefined));
		const attempts = logins();
		expect(attempts.map((r) => r.status)).toEqual([500, 0, 200]);
		// backoffDelay: at least 500 ms after the first failure, 1000 ms after the second.
		expect(attempts[1].arrivedAt - attempts[0].arrivedAt).toBeGreaterThanOrEqual(500);
		expect(attempts[2].arrivedAt - attempts[1].arrivedAt).toBeGreaterThanOrEqual(1000);
	});

	it('fails the login at once when a 429 asks to wait longer than 60 s, instead of holding every execution', async () => {
		sandbox.injectFault({ kind: 'rate_limit', times: 1, path: '/auth/token', retryAfterSeconds: 86400 });
		const started = Date.now();
		const { json } = await runCharts(credentialsFor(keyPairCredentials(sandbox)));
		expect(Date.now() - started).toBeLessThan(20000);
		expect(String((json as IDataObject[])[0].error)).toMatch(/asked to wait 86400 s before the next key-pair login/);
		expect(logins().map((r) => r.status)).toEqual([429]);
	});

	it('gives up after 3 tries with a message that blames GrowingIO, not the key pair', async () => {
		sandbox.injectFault({ kind: 'html_error', times: Infinity, path: '/auth/token' });
		const { json } = await runCharts(credentialsFor(keyPairCredentials(sandbox)));
		const errors = (json as IDataObject[]).map((item) => String(item.error));
		expect(errors[0]).toMatch(/login failed on its side \(HTTP 502\) 3 times\. This is not a problem with the key pair/);
		expect(errors[0]).not.toMatch(/Check the .*Private Key/);
		// Three tries for the whole run: the failure is not retried by n8n's legacy path either.
		expect(logins()).toHaveLength(3);
	});
});
