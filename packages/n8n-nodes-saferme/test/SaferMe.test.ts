import { SaferMeApi } from '../credentials/SaferMeApi.credentials';
import { nodeResult, runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../../../test/helpers/harness';
import { withJsonServer, type JsonAnswer, type ReceivedRequest } from '../../../test/helpers/jsonServer';

const APP_ID = 'com.thundermaps.saferme';

/** SaferMe's session login and team list as the skeleton needs them. */
function saferMe(request: ReceivedRequest): JsonAnswer {
	if (request.method === 'POST' && request.path === '/api/v4/session') {
		const { session } = JSON.parse(request.body) as { session: { email: string; password: string; app_bundle_id: string } };
		if (session.email !== 'ops@example.com' || session.password !== 'right-password' || session.app_bundle_id !== APP_ID) {
			return { status: 401, body: { errors: ['Invalid email or password'], error_codes: ['bad_credentials'] } };
		}
		return { status: 201, body: { access_token: 'smt_session_1', refresh_token: 'r1', token_expire_at: '2099-01-01T00:00:00Z' } };
	}
	if (request.headers.authorization !== 'Token token=smt_session_1' || request.headers['x-appid'] !== APP_ID || request.headers['x-teamid'] !== '42') {
		return { status: 401, body: { errors: ['Unauthorized'] } };
	}
	if (request.method === 'GET' && request.path === '/api/v4/teams') return { status: 200, body: [{ id: 42, name: 'Operations' }, { id: 43, name: 'Field' }] };
	return { status: 404, body: { errors: ['Not found'] } };
}

async function runSaferMe(baseUrl: string, password = 'right-password', sessionToken = '') {
	const credentialsHelper = new TestCredentialsHelper(
		{ saferMeApi: new SaferMeApi() },
		{ saferMeApi: { sessionToken, baseUrl, email: 'ops@example.com', password, teamId: '42', appId: APP_ID } },
	);
	const run = await runWorkflow({
		workflow: singleNodeWorkflow('n8n-nodes-saferme.saferMe', 'SaferMe', 'saferMeApi', { resource: 'team', operation: 'getMany' }),
		credentialsHelper,
	});
	return { ...nodeResult(run, 'SaferMe'), credentialsHelper };
}

describe('SaferMe skeleton: Team → Get Many through the shared core', () => {
	it('logs in once, then reads the teams with the session token, app and team headers', async () => {
		await withJsonServer(saferMe, async (baseUrl, requests) => {
			const { json, items, error, credentialsHelper } = await runSaferMe(baseUrl);
			expect(error).toBeUndefined();
			expect(json).toEqual([{ id: 42, name: 'Operations' }, { id: 43, name: 'Field' }]);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
			expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v4/session', 'GET /api/v4/teams']);
			expect(credentialsHelper.stored('saferMeApi').sessionToken).toBe('smt_session_1');
		});
	});

	it('signs in again when SaferMe refuses the stored session token', async () => {
		await withJsonServer(saferMe, async (baseUrl, requests) => {
			const { json, error, credentialsHelper } = await runSaferMe(baseUrl, 'right-password', 'smt_expired');
			expect(error).toBeUndefined();
			expect(json).toHaveLength(2);
			expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/teams', 'POST /api/v4/session', 'GET /api/v4/teams']);
			expect(credentialsHelper.stored('saferMeApi').sessionToken).toBe('smt_session_1');
		});
	});

	it('stops with an error that does not contain the password when the login is refused', async () => {
		await withJsonServer(saferMe, async (baseUrl) => {
			const { error } = await runSaferMe(baseUrl, 'wrong-password');
			expect(error).toBeDefined();
			expect(error?.message).toBe('SaferMe refused the login (HTTP 401): check Email, Password, App ID and Base URL in the credential');
			expect(JSON.stringify(error)).not.toContain('wrong-password');
		});
	});
});
