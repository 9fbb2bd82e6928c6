import { SaferMeApi } from '../credentials/SaferMeApi.credentials';
import { credentialsFor, runSaferMe, withSandbox } from './saferMeSandbox';
import type { SaferMeSandbox } from '../sandbox/server';

const channels = { resource: 'channel', operation: 'getMany', returnAll: true };
const sessionCalls = (sandbox: SaferMeSandbox) => sandbox.requests.filter((r) => r.path === '/api/v4/session').map((r) => `${r.method} ${r.status}`);

describe('SaferMe session: login, refresh, re-login', () => {
	it('logs in once, refreshes an expired access token with the refresh token, and logs in again when both expired, losing nothing', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const first = await runSaferMe(channels, credentials);
			expect(first.error).toBeUndefined();
			expect(first.json.map((c) => c.id)).toEqual([101, 102, 103]);
			expect(sessionCalls(sandbox)).toEqual(['POST 201']);
			const loginPair = { ...credentials.stored('saferMeApi') };
			expect(loginPair.sessionToken).toMatch(/^smt_/);

			sandbox.expireAccessTokens();
			const second = await runSaferMe(channels, credentials);
			expect(second.json).toEqual(first.json);
			expect(sessionCalls(sandbox)).toEqual(['POST 201', 'PATCH 200']);
			const refreshed = credentials.stored('saferMeApi');
			expect(refreshed.sessionToken).not.toBe(loginPair.sessionToken);
			expect(refreshed.refreshToken).not.toBe(loginPair.refreshToken);
			// Rotation killed the old pair.
			expect(sandbox.sessions.find((s) => s.accessToken === loginPair.sessionToken)?.alive).toBe(false);

			sandbox.expireRefreshTokens();
			const third = await runSaferMe(channels, credentials);
			expect(third.error).toBeUndefined();
			expect(third.json).toEqual(first.json);
			expect(sessionCalls(sandbox)).toEqual(['POST 201', 'PATCH 200', 'PATCH 401', 'POST 201']);
		});
	});

	it('refreshes once when two executions find the token expired at the same time', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			await runSaferMe(channels, credentials);
			sandbox.expireAccessTokens();
			const [a, b] = await Promise.all([runSaferMe(channels, credentials), runSaferMe(channels, credentials)]);
			expect(a.error).toBeUndefined();
			expect(b.error).toBeUndefined();
			expect(a.json).toHaveLength(3);
			expect(b.json).toHaveLength(3);
			expect(sessionCalls(sandbox)).toEqual(['POST 201', 'PATCH 200']);
		});
	});

	it('uses a pasted access token as it is, and says so when SaferMe refuses it', async () => {
		await withSandbox(async (sandbox) => {
			const login = credentialsFor(sandbox);
			await runSaferMe(channels, login);
			const token = String(login.stored('saferMeApi').sessionToken);
			const pasted = credentialsFor(sandbox, { authentication: 'accessToken', accessToken: token, email: '', password: '' });
			const ok = await runSaferMe(channels, pasted);
			expect(ok.json).toHaveLength(3);
			sandbox.expireAccessTokens();
			const refused = await runSaferMe(channels, pasted);
			expect(refused.error?.message).toBe('SaferMe refused the access token (HTTP 401): Access token expired');
			expect(JSON.stringify(refused.error)).not.toContain(token);
			expect(sessionCalls(sandbox)).toEqual(['POST 201']);
		});
	});

	it('refuses another team with 403 and a wrong password without leaking secrets', async () => {
		await withSandbox(async (sandbox) => {
			const other = await runSaferMe(channels, credentialsFor(sandbox, { teamId: '43' }));
			expect(other.error?.message).toBe('SaferMe refused access for the channels (HTTP 403): Not a member of team 43');
			const wrong = credentialsFor(sandbox, { password: 'wrong-secret-password' });
			const refused = await runSaferMe(channels, wrong);
			expect(refused.error?.message).toBe('SaferMe refused the login (HTTP 401): check Email, Password, App ID and Base URL in the credential');
			expect(JSON.stringify(refused.error)).not.toContain('wrong-secret-password');
			const ok = credentialsFor(sandbox);
			const result = await runSaferMe(channels, ok);
			const secrets = [sandbox.password, ok.stored('saferMeApi').sessionToken, ok.stored('saferMeApi').refreshToken].map(String);
			for (const secret of secrets) expect(JSON.stringify(result.items)).not.toContain(secret);
		});
	});

	it('sends the token, app and team headers only to the Base URL\'s host', async () => {
		const credential = new SaferMeApi();
		const data = { authentication: 'password', sessionToken: 'smt_secret', baseUrl: 'https://api.safer.me/', teamId: '42', appId: 'com.thundermaps.saferme' };
		const own = await credential.authenticate(data, { url: 'https://api.safer.me/api/v4/channels' });
		expect(own.headers).toEqual({ Authorization: 'Token token=smt_secret', 'X-AppId': 'com.thundermaps.saferme', 'X-TeamId': '42' });
		const relative = await credential.authenticate(data, { baseURL: 'https://api.safer.me', url: '/api/v4/channels' });
		expect(relative.headers).toEqual(own.headers);
		const elsewhere = await credential.authenticate(data, { url: 'https://hooks.example.com/api/v4/channels' });
		expect(elsewhere.headers).toBeUndefined();
	});
});
