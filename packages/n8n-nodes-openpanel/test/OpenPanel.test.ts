import { OpenPanelApi } from '../credentials/OpenPanelApi.credentials';
import { nodeResult, runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../../../test/helpers/harness';
import { withJsonServer, type JsonAnswer, type ReceivedRequest } from '../../../test/helpers/jsonServer';

const CLIENT_ID = '2b9f4a7e-3c1d-4e8f-9a6b-5d0c7e1f2a3b';
const CLIENT_SECRET = 'sec_test_only';

/** OpenPanel's /export/events as the skeleton needs it: the client headers, then one page of events. */
function openPanel(request: ReceivedRequest): JsonAnswer {
	if (request.headers['openpanel-client-id'] !== CLIENT_ID || request.headers['openpanel-client-secret'] !== CLIENT_SECRET) {
		return { status: 401, body: { error: 'Unauthorized', message: 'Export: Invalid client secret' } };
	}
	if (request.path !== '/export/events') return { status: 404, body: { message: 'Route not found' } };
	const data = [
		{ id: 'e2', name: 'screen_view', createdAt: '2026-01-31T10:00:00.000Z' },
		{ id: 'e1', name: 'session_start', createdAt: '2026-01-31T09:59:00.000Z' },
	].slice(0, Number(request.query.limit));
	return { status: 200, body: { meta: { count: data.length, totalCount: 2, pages: 1, current: 1 }, data } };
}

async function runOpenPanel(baseUrl: string, parameters: object, clientSecret = CLIENT_SECRET) {
	const run = await runWorkflow({
		workflow: singleNodeWorkflow('n8n-nodes-openpanel.openPanel', 'OpenPanel', 'openPanelApi', { resource: 'event', operation: 'getMany', ...parameters }),
		credentialsHelper: new TestCredentialsHelper(
			{ openPanelApi: new OpenPanelApi() },
			{ openPanelApi: { baseUrl: `${baseUrl}/`, clientId: CLIENT_ID, clientSecret, projectId: 'proj-1' } },
		),
	});
	return nodeResult(run, 'OpenPanel');
}

describe('OpenPanel skeleton: Event → Get Many through the shared core', () => {
	it('reads one page of events with the client headers, the day range and the project', async () => {
		await withJsonServer(openPanel, async (baseUrl, requests) => {
			const { json, items, error } = await runOpenPanel(baseUrl, { startDate: '2026-01-30', endDate: '2026-01-31', limit: 1 });
			expect(error).toBeUndefined();
			expect(json).toEqual([{ id: 'e2', name: 'screen_view', createdAt: '2026-01-31T10:00:00.000Z' }]);
			expect(items[0].pairedItem).toEqual({ item: 0 });
			expect(requests.map((r) => [r.method, r.path, r.query])).toEqual([
				['GET', '/export/events', { start: '2026-01-30', end: '2026-01-31', limit: '1', page: '1', projectId: 'proj-1' }],
			]);
		});
	});

	it('names OpenPanel and the status when the secret is refused, without the secret', async () => {
		await withJsonServer(openPanel, async (baseUrl) => {
			const { error } = await runOpenPanel(baseUrl, { startDate: '2026-01-30', endDate: '2026-01-31', limit: 10 }, 'wrong-secret');
			expect(error?.message).toBe('OpenPanel refused GET /export/events (HTTP 401)');
			expect(error?.description).toContain('Export: Invalid client secret');
			expect(JSON.stringify(error)).not.toContain('wrong-secret');
		});
	});

	it('says OpenPanel could not be reached when nothing answers at Base URL', async () => {
		let closedUrl = '';
		await withJsonServer(openPanel, async (baseUrl) => {
			closedUrl = baseUrl;
		});
		const { error } = await runOpenPanel(closedUrl, { startDate: '2026-01-30', endDate: '2026-01-31', limit: 10 });
		expect(error?.message).toBe('OpenPanel could not be reached for GET /export/events');
		expect(error?.description).toContain('ECONNREFUSED');
	});

	it('refuses a Start Date that is not a day before sending anything', async () => {
		await withJsonServer(openPanel, async (baseUrl, requests) => {
			const { error } = await runOpenPanel(baseUrl, { startDate: 'yesterday', endDate: '2026-01-31', limit: 10 });
			expect(error?.message).toBe('Start Date must be a day as YYYY-MM-DD (got "yesterday")');
			expect(requests).toHaveLength(0);
		});
	});
});
