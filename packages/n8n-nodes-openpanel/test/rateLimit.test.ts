import { exportOrder } from './openpanel-sandbox/analytics';
import { startOpenPanelSandbox, type OpenPanelSandbox } from './openpanel-sandbox/server';
import { credentialOf, runOpenPanel } from './helpers/openPanelRun';

/**
 * OpenPanel's limit (100 requests per 10 s per client, refused requests counted too) is never
 * exceeded, with 150+ requests from two items sharing one client, judged by the imitation's own
 * record of arrivals. Load-sensitive only in duration, not in the assertions.
 */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

let sandbox: OpenPanelSandbox;
// Pages of 10 (a server clamping limit to 10) make many requests from a small data set.
beforeAll(async () => (sandbox = await startOpenPanelSandbox({ maxEventsLimit: 10, sessionsPerDay: 48 })));
afterAll(async () => await sandbox.close());

describe('rate limit', () => {
	it('keeps 150+ requests of two items within 100 per 10 s, with no 429, and returns every event', async () => {
		const started = Date.now();
		const { json, error } = await runOpenPanel(
			credentialOf(sandbox),
			{ resource: 'event', operation: 'getMany', startDate: '={{ $json.start }}', endDate: '={{ $json.end }}', returnAll: true },
			{ input: [{ start: day(6), end: day(3) }, { start: day(2), end: day(0) }] },
		);
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		const expected = sandbox.events.filter((e) => e.projectId === 'acme-web' && e.createdAt.slice(0, 10) >= day(6)).sort(exportOrder);
		expect(new Set(json.map((e) => e.id))).toEqual(new Set(expected.map((e) => e.id)));

		const requests = sandbox.requests;
		// On failure, say which arrival was refused and when the one 100 before it arrived.
		const refused = requests.findIndex((r) => r.status === 429);
		if (refused >= 100) {
			const t0 = requests[0].arrivedAt;
			process.stdout.write(`rate limit: request ${refused} refused at +${requests[refused].arrivedAt - t0} ms; request ${refused - 100} arrived at +${requests[refused - 100].arrivedAt - t0} ms\n`);
		}
		const clientId = sandbox.clients.read.id;
		expect(requests.length).toBeGreaterThanOrEqual(150);
		expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
		const busiest = sandbox.maxRequestsInWindow(clientId);
		expect(busiest).toBeLessThanOrEqual(100);
		// It runs at the limit, not far below it.
		expect(busiest).toBeGreaterThanOrEqual(90);
		process.stdout.write(`rate limit: ${requests.length} requests in ${seconds.toFixed(1)} s, busiest 10 s window ${busiest}/100, 0 × 429\n`);
	}, 60_000);
});
