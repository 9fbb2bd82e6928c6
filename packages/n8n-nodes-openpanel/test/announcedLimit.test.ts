import { startOpenPanelSandbox, type OpenPanelSandbox } from './openpanel-sandbox/server';
import { credentialOf, runOpenPanel } from './helpers/openPanelRun';

/**
 * The pace follows what the server says and what the user says: an older self-hosted server that
 * announces 10 per 10 s in x-ratelimit-limit is paced at 10 after its first answer, and Options →
 * Workers Sharing This Client divides the client's 100 per 10 s. Judged by the imitation's record
 * of arrivals (refused requests count there too).
 */

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
/** Pages of 10 events: one request per 10 events asked for. */
const getEvents = (limit: number, extra: Record<string, unknown> = {}) => ({ resource: 'event', operation: 'getMany', startDate: day(6), endDate: day(0), returnAll: false, limit, ...extra });

describe('OpenPanel pace', () => {
	let sandbox: OpenPanelSandbox;
	afterEach(async () => await sandbox.close());

	it('adopts the lower limit an old server announces (10 per 10 s): no 429 after its first answer', async () => {
		sandbox = await startOpenPanelSandbox({ maxEventsLimit: 10, sessionsPerDay: 48, rateLimit: 10 });
		const started = Date.now();
		const { json, error } = await runOpenPanel(credentialOf(sandbox), getEvents(150));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(150);
		const clientId = sandbox.clients.read.id;
		expect(sandbox.requests).toHaveLength(15);
		// Before, the 11th request went at OpenPanel's documented 100 per 10 s and was refused.
		expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(0);
		expect(sandbox.maxRequestsInWindow(clientId)).toBeLessThanOrEqual(10);
		process.stdout.write(`old server: 15 requests in ${((Date.now() - started) / 1000).toFixed(1)} s, busiest 10 s window ${sandbox.maxRequestsInWindow(clientId)}/10, 0 × 429\n`);
	}, 60_000);

	it('Workers Sharing This Client = 3 takes 33 of the 100 per 10 s', async () => {
		sandbox = await startOpenPanelSandbox({ maxEventsLimit: 10, sessionsPerDay: 48 });
		const { json, error } = await runOpenPanel(credentialOf(sandbox), getEvents(400, { options: { workersSharingBudget: 3 } }));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(400);
		const clientId = sandbox.clients.read.id;
		expect(sandbox.requests).toHaveLength(40);
		expect(sandbox.maxRequestsInWindow(clientId)).toBe(33);
		// The 34th request waited for the next window.
		expect(sandbox.requests[33].arrivedAt - sandbox.requests[0].arrivedAt).toBeGreaterThanOrEqual(10_000);
	}, 60_000);
});
