import type { IDataObject } from 'n8n-workflow';

import { requestShares, resetRateLimiter } from '../../core/transport/rateLimiter';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, growingIoWorkflow, nodeResult, runWorkflow } from '../helpers/harness';
import { fetchExpected, tokenCredentials } from '../helpers/sandboxClient';

/**
 * Options → Workers Sharing This Project through n8n's engine: this instance's part of GrowingIO's
 * 2 requests per second, asserted on the sandbox's arrival times.
 */

let sandbox: Sandbox;
let dashboards: IDataObject[];

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	dashboards = await fetchExpected<IDataObject[]>(sandbox, `/projects/${sandbox.project.uid}/dashboards.json`);
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const getDashboard = { resource: 'dashboard', operation: 'get', dashboardId: { __rl: true, mode: 'id', value: '={{ $json.dashboard }}' }, output: 'dashboard' };

async function run(options: IDataObject, count: number) {
	const input = Array.from({ length: count }, (_, i) => ({ json: { dashboard: String(dashboards[i % dashboards.length].id) } }));
	const result = await runWorkflow({ workflow: growingIoWorkflow({ ...getDashboard, options }), credentialsHelper: credentialsFor(tokenCredentials(sandbox)), input });
	return nodeResult(result);
}

const arrivals = () => sandbox.requests.filter((r) => r.countsTowardLimit).map((r) => r.arrivedAt);

describe('Workers Sharing This Project', () => {
	it('with 2 workers sends one request per second instead of pairs', async () => {
		const { json, error } = await run({ workersSharingBudget: 2 }, 3);
		expect(error).toBeUndefined();
		expect(json).toHaveLength(3);
		const times = arrivals();
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(990);
	});

	it('with 3 workers sends one request per 2 s, leaving room for the others', async () => {
		const { json, error } = await run({ workersSharingBudget: 3 }, 3);
		expect(error).toBeUndefined();
		expect(json).toHaveLength(3);
		const times = arrivals();
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(1990);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(1990);
	}, 20_000);

	it('rejects a count that is not a whole number of at least 1, naming the option, before any request', async () => {
		const { error } = await run({ workersSharingBudget: 1.5 }, 1);
		expect(error?.message).toMatch(/Options → Workers Sharing This Project must be a whole number from 1 to 100/);
		expect(arrivals()).toHaveLength(0);
	});
});

describe('the adaptive pace on the GrowingIO node', () => {
	it('a 429 for a request that waited in the queue past the last lowering lowers the pace again: the time it left counts, not when it asked', async () => {
		resetRateLimiter();
		// 6 items ask at once (up to 8 in flight); the 1st and the 5th chart are refused. The 5th
		// leaves after the 1st's 429 lowered the pace, so its 429 is news and lowers it again.
		const ids = dashboards.slice(0, 6).map((dashboard) => String(dashboard.id));
		sandbox.injectFault({ kind: 'rate_limit', path: ids[0] });
		sandbox.injectFault({ kind: 'rate_limit', path: ids[4] });
		const { json, error } = await run({}, 6);
		expect(error).toBeUndefined();
		expect(json).toHaveLength(6);
		expect(sandbox.requests.filter((r) => r.fault === 'rate_limit')).toHaveLength(2);
		const [share] = requestShares().filter(([key]) => key.startsWith('growingio|')).map(([, value]) => value);
		// Lowered twice, recovering along the cubic since the second: about 0.7 at the end. Counted
		// from when they asked, both 429s would be one crowd: one lowering, about 0.9 by then.
		expect(share).toBeLessThan(0.82);
		resetRateLimiter();
	}, 30_000);

	it('a 429 on the last try still slows this instance down, though the item gives up', async () => {
		resetRateLimiter();
		sandbox.injectFault({ kind: 'rate_limit', path: String(dashboards[0].id) });
		const { error } = await run({ maxTries: 1 }, 1);
		expect(error?.message).toMatch(/429/);
		const [share] = requestShares().filter(([key]) => key.startsWith('growingio|')).map(([, value]) => value);
		expect(share).toBeLessThan(1);
		resetRateLimiter();
	});
});
