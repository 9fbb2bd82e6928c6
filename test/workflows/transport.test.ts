import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, growingIoWorkflow, nodeResult, runWorkflow, startWorkflow, type TestCredentialsHelper } from '../helpers/harness';
import { fetchExpected, keyPairCredentials, secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * The transport through n8n's engine: both auth modes, re-login, retries of every fault the
 * sandbox can inject, and the shared rate limit — asserted on what the sandbox received.
 */

let sandbox: Sandbox;
let dashboards: IDataObject[];

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	dashboards = await fetchExpected<IDataObject[]>(sandbox, `/projects/${sandbox.project.uid}/dashboards.json`);
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const getDashboard = { resource: 'dashboard', operation: 'get', dashboardId: { __rl: true, mode: 'id', value: '={{ $json.dashboard }}' }, output: 'dashboard' };

/** One input item per dashboard id, `count` items in all (ids repeat). */
function dashboardItems(count: number) {
	return Array.from({ length: count }, (_, i) => ({ json: { dashboard: String(dashboards[i % dashboards.length].id) } }));
}

async function run(parameters: IDataObject, credentialsHelper: TestCredentialsHelper, count = 1, node: IDataObject = {}) {
	const input = dashboardItems(count);
	const result = await runWorkflow({ workflow: growingIoWorkflow(parameters, node), credentialsHelper, input });
	return { run: result, input, ...nodeResult(result) };
}

function apiRequests() {
	return sandbox.requests.filter((r) => r.countsTowardLimit);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The sandbox's clock for arrival times. */
const now = () => performance.timeOrigin + performance.now();

function expectEveryItem(json: IDataObject[], input: Array<{ json: { dashboard: string } }>) {
	expect(json.map((d) => d.id)).toEqual(input.map((i) => i.json.dashboard));
}

describe('API Token', () => {
	it('sends the bare token, also when it was pasted with a Bearer prefix', async () => {
		const { json, error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox, { apiToken: `Bearer ${sandbox.apiToken}` })));
		expect(error).toBeUndefined();
		expect(json[0].id).toBe(dashboards[0].id);
	});

	it('a wrong token is a clear error that names the fix and not the token', async () => {
		const { error, run: result } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox, { apiToken: 'wrong-token-123456' })));
		expect(error?.message).toMatch(/GrowingIO rejected the credentials \(401 Unauthorized/);
		expect(error?.description).toMatch(/API Token 管理/);
		expect(JSON.stringify(result)).not.toContain('wrong-token-123456');
	});

	it('an empty token is refused before any request', async () => {
		const { error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox, { apiToken: '  ' })));
		expect(error?.message).toMatch(/API Token in the GrowingIO credential is empty/);
		expect(apiRequests()).toHaveLength(0);
	});

	it('a base URL with a path is refused before any request', async () => {
		const { error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox, { baseUrl: `${sandbox.url}/api` })));
		expect(error?.message).toMatch(/Base URL .* must be just the scheme and host/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('a wrong project UID is a clear 404', async () => {
		const { error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox, { projectUid: 'zzzz9999' })));
		expect(error?.message).toMatch(/could not find dashboard .* \(404/);
		expect(error?.description).toMatch(/Project UID/);
	});
});

describe('Key Pair (legacy)', () => {
	it('logs in once through /auth/token and reuses the code for later requests and executions', async () => {
		const helper = credentialsFor(keyPairCredentials(sandbox));
		const first = await run(getDashboard, helper, 3);
		expectEveryItem(first.json, first.input);
		const second = await run(getDashboard, helper, 2);
		expectEveryItem(second.json, second.input);

		expect(sandbox.requests.filter((r) => r.path === '/auth/token')).toHaveLength(1);
		expect(helper.stored('growingIoApi').sessionToken).toBe(sandbox.issuedCodes().at(-1));
	});

	it('logs in again transparently when the code expires mid-run, returning every item', async () => {
		const helper = credentialsFor(keyPairCredentials(sandbox));
		await run(getDashboard, helper, 1); // holds a valid code now
		const loginsBefore = sandbox.issuedCodes().length;
		sandbox.injectFault({ kind: 'expired_token', times: 1 });

		const { json, input, error } = await run(getDashboard, helper, 4);
		expect(error).toBeUndefined();
		expectEveryItem(json, input);
		expect(sandbox.issuedCodes().length).toBe(loginsBefore + 1);
		expect(helper.stored('growingIoApi').sessionToken).toBe(sandbox.issuedCodes().at(-1));
	});

	it('a wrong private key is a clear error that quotes GrowingIO and never the keys', async () => {
		const { error, run: result } = await run(getDashboard, credentialsFor(keyPairCredentials(sandbox, { privateKey: 'not-the-private-key' })));
		expect(error?.message).toMatch(/GrowingIO refused the key-pair login \(HTTP 401: Unauthorized/);
		const text = JSON.stringify(result);
		expect(text).not.toContain('not-the-private-key');
		expect(text).not.toContain(sandbox.project.publicKey);
	});
});

describe('retries', () => {
	it.each([
		['a 429 burst', { kind: 'rate_limit' as const, times: 3 }],
		['500 request_timeout', { kind: 'request_timeout' as const, times: 2 }],
		['a connection reset', { kind: 'connection_reset' as const, times: 2 }],
		['malformed JSON', { kind: 'malformed_json' as const, times: 1 }],
		['an HTML error page from a proxy', { kind: 'html_error' as const, times: 1 }],
	])('recovers from %s and returns every item exactly once', async (_case, fault) => {
		sandbox.injectFault(fault);
		const { json, input, error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 4);
		expect(error).toBeUndefined();
		expectEveryItem(json, input);
		expect(sandbox.requests.filter((r) => r.fault).length).toBe(fault.times);
	});

	it('gives up on a response slower than the Timeout option and retries it, returning every item', async () => {
		sandbox.injectFault({ kind: 'slow', times: 1, delayMs: 3000 });
		const { json, input, error } = await run(
			{ ...getDashboard, options: { timeoutMs: 1000 } },
			credentialsFor(tokenCredentials(sandbox)),
			2,
		);
		expect(error).toBeUndefined();
		expectEveryItem(json, input);
		// The slow answer was abandoned, not waited for: its retry left before it could have come.
		const [slow, ...others] = apiRequests();
		expect(slow.fault).toBe('slow');
		const retry = others.find((r) => r.path === slow.path && r.arrivedAt > slow.arrivedAt);
		expect(apiRequests()).toHaveLength(3);
		expect(retry!.arrivedAt - slow.arrivedAt).toBeLessThan(3000);
	});

	it('gives up after Max Tries with a message that says what happened and what to do', async () => {
		sandbox.injectFault({ kind: 'request_timeout', times: Infinity });
		const { error } = await run({ ...getDashboard, options: { maxTries: 2 } }, credentialsFor(tokenCredentials(sandbox)), 1);
		expect(error?.message).toMatch(/GrowingIO failed to answer after 2 tries \(HTTP 500: Request timeout/);
		expect(error?.description).toMatch(/shorter time range/);
		expect(apiRequests()).toHaveLength(2);
	});

	it('a Retry-After longer than 60 s fails the item at once, says what GrowingIO asked, and pauses nothing', async () => {
		sandbox.injectFault({ kind: 'rate_limit', times: 1, retryAfterSeconds: 86_400 });
		const started = Date.now();
		const { error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 1);
		expect(error?.message).toMatch(/^GrowingIO asked to wait 86400 s \(24 h\) before the next request \(429 Too Many Requests/);
		expect(error?.description).toMatch(/waits at most 60 s .* run the workflow again after that time, lower Options → Requests per Second/);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(apiRequests()).toHaveLength(1);

		// The project was not paused for a day (nor for 60 s): the next run goes at once.
		const rerunAt = now();
		const again = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 2);
		expect(again.error).toBeUndefined();
		expectEveryItem(again.json, again.input);
		// At most a window (plus margin) after the requests before it, not 60 s.
		expect(apiRequests()[1].arrivedAt - rerunAt).toBeLessThan(1600);
	});

	it('does not retry a 400', async () => {
		sandbox.injectFault({ kind: 'bad_request', times: 1 });
		const { error } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 1);
		expect(error?.message).toMatch(/rejected the request .* \(HTTP 400/);
		expect(apiRequests()).toHaveLength(1);
	});
});

describe('rate limit', () => {
	it('runs 12 items at the limit and never over it', async () => {
		const { json, input } = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 12);
		expectEveryItem(json, input);
		expect(apiRequests()).toHaveLength(12);
		expect(apiRequests().filter((r) => r.status === 429)).toHaveLength(0);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		// at the limit, not far below it: pairs, a window (+ 25 ms margin) apart, and the first
		// start's 100 ms cold allowance once: 5225 ms on an idle machine. A busy one moves starts
		// that a blocked event loop held back (6.4 s seen at load 4); one request per second would
		// take 11 s.
		const times = apiRequests().map((r) => r.arrivedAt);
		expect(times[11] - times[0]).toBeLessThan(5 * 1025 + 100 + 2000);
	});

	it('shares the limit between two executions running at the same time', async () => {
		const credentials = tokenCredentials(sandbox);
		const [a, b] = await Promise.all([run(getDashboard, credentialsFor(credentials), 5), run(getDashboard, credentialsFor(credentials), 5)]);
		expectEveryItem(a.json, a.input);
		expectEveryItem(b.json, b.input);
		expect(apiRequests()).toHaveLength(10);
		expect(apiRequests().filter((r) => r.status === 429)).toHaveLength(0);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('goes slower when Requests per Second is lowered', async () => {
		await run({ ...getDashboard, options: { requestsPerSecond: 1 } }, credentialsFor(tokenCredentials(sandbox)), 3);
		const times = apiRequests().map((r) => r.arrivedAt);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(990);
	});

	it('rejects Requests per Second above GrowingIO\'s limit, naming the option, before any request', async () => {
		const { error } = await run({ ...getDashboard, options: { requestsPerSecond: 5 } }, credentialsFor(tokenCredentials(sandbox)), 1);
		expect(error?.message).toMatch(/Options → Requests per Second must be a number from 0.01 to 2/);
		expect(apiRequests()).toHaveLength(0);
	});
});

describe('Stop execution', () => {
	/** Starts `count` items, stops once `ready()` holds; how long the node took to end, and what GrowingIO got after the stop. */
	async function stopWhen(ready: () => boolean, count: number) {
		const execution = startWorkflow({ workflow: growingIoWorkflow(getDashboard), credentialsHelper: credentialsFor(tokenCredentials(sandbox)), input: dashboardItems(count) });
		for (const deadline = Date.now() + 20_000; !ready() && Date.now() < deadline; ) await wait(5);
		expect(ready()).toBe(true);
		const stoppedAt = now();
		execution.stop();
		await execution.done;
		const endedAfterMs = now() - stoppedAt;
		// A request that started just before the stop (the second of a pair) may still arrive just
		// after it; a waiting item that went on would arrive a window later.
		await wait(1200);
		return { endedAfterMs, sentAfterStop: apiRequests().filter((r) => r.arrivedAt >= stoppedAt + 100) };
	}

	it('ends at once while items wait for their rate-limit slots, and sends no further request', async () => {
		// 12 items at 2 per second would take 5 s more after the second request.
		const { endedAfterMs, sentAfterStop } = await stopWhen(() => apiRequests().length >= 2, 12);
		expect(sentAfterStop).toEqual([]);
		expect(endedAfterMs).toBeLessThan(2000);
		// The pair that was leaving when the stop came, at most; none of the others.
		const sent = apiRequests().length;
		expect(sent).toBeLessThanOrEqual(4);

		// The stopped items' starts are given back: the next run waits at most a window after the
		// last pair, not for the nine stopped items (4.5 s).
		const rerunAt = now();
		const again = await run(getDashboard, credentialsFor(tokenCredentials(sandbox)), 1);
		expectEveryItem(again.json, again.input);
		expect(apiRequests()).toHaveLength(sent + 1);
		expect(apiRequests()[sent].arrivedAt - rerunAt).toBeLessThan(1500);
	});

	it('ends at once while waiting out a 429\'s Retry-After, and sends no further request', async () => {
		sandbox.injectFault({ kind: 'rate_limit', times: 1, retryAfterSeconds: 30 });
		const { endedAfterMs, sentAfterStop } = await stopWhen(() => apiRequests().some((r) => r.status === 429), 1);
		expect(sentAfterStop).toEqual([]);
		expect(endedAfterMs).toBeLessThan(2000);
	});
});

describe('secrets', () => {
	it('never appear in outputs or errors of failing runs', async () => {
		sandbox.injectFault({ kind: 'request_timeout', times: Infinity });
		const results = [
			await run({ ...getDashboard, options: { maxTries: 1 } }, credentialsFor(tokenCredentials(sandbox)), 1),
			await run({ ...getDashboard, options: { maxTries: 1 } }, credentialsFor(keyPairCredentials(sandbox)), 1, { onError: 'continueRegularOutput' }),
		];
		// Both failed: the first run with a node error, the second with an error item.
		expect(results[0].error?.message).toMatch(/GrowingIO failed to answer \(HTTP 500/);
		expect(results[1].json).toEqual([expect.objectContaining({ error: expect.stringMatching(/GrowingIO failed to answer \(HTTP 500/) })]);
		const text = JSON.stringify(results.map((r) => r.run));
		for (const secret of secretsOf(sandbox)) expect(text).not.toContain(secret);
	});
});
