import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

/**
 * SaferMe's session: a login gives an access token and a refresh token, both expiring. A refresh
 * (PATCH /api/v4/session) rotates both and kills the old pair at once, so two refreshes of the
 * same pair cannot both succeed: within one process each pair is refreshed once, and whoever
 * asks again with the same old pair gets the same new one.
 */

export interface SessionTokens {
	sessionToken: string;
	refreshToken: string;
	tokenExpiresAt: string;
}

/** Refreshes in flight or just done, by the refresh token they replace. */
const refreshes = new Map<string, Promise<SessionTokens>>();
/** Enough for every execution that read the old pair before the new one was stored. */
const REMEMBER_ROTATION_MS = 10 * 60_000;

export function normalizeBaseUrl(value: unknown): string {
	const text = String(value ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(text)) {
		throw new Error(`Base URL "${text}" is not a web address: use https://api.safer.me (or your SaferMe server's address) in the credential`);
	}
	return text;
}

function statusOf(error: unknown): number | undefined {
	const e = error as { response?: { status?: number }; httpCode?: unknown; statusCode?: unknown };
	const code = e?.response?.status ?? e?.httpCode ?? e?.statusCode;
	return code === undefined || code === null ? undefined : Number(code);
}

function tokensFrom(answer: unknown): SessionTokens | undefined {
	const a = answer as { access_token?: unknown; refresh_token?: unknown; token_expire_at?: unknown } | undefined;
	if (typeof a?.access_token !== 'string' || a.access_token === '') return undefined;
	return { sessionToken: a.access_token, refreshToken: typeof a.refresh_token === 'string' ? a.refresh_token : '', tokenExpiresAt: String(a.token_expire_at ?? '') };
}

async function sessionCall(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, method: 'POST' | 'PATCH', session: Record<string, unknown>) {
	return await helper.helpers.httpRequest({
		method,
		url: `${normalizeBaseUrl(credentials.baseUrl)}/api/v4/session`,
		headers: { 'X-AppId': String(credentials.appId ?? '').trim() },
		body: { session },
		json: true,
	});
}

export async function login(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<SessionTokens> {
	let answer: unknown;
	try {
		answer = await sessionCall(helper, credentials, 'POST', { app_bundle_id: String(credentials.appId ?? '').trim(), email: String(credentials.email ?? '').trim(), password: credentials.password });
	} catch (error) {
		const status = statusOf(error);
		throw new Error(`SaferMe refused the login${status ? ` (HTTP ${status})` : ''}: check Email, Password, App ID and Base URL in the credential`);
	}
	const tokens = tokensFrom(answer);
	if (!tokens) throw new Error('SaferMe answered the login without an access token: check Base URL in the credential');
	return tokens;
}

async function refreshOrLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<SessionTokens> {
	try {
		const tokens = tokensFrom(await sessionCall(helper, credentials, 'PATCH', { access_token: credentials.sessionToken, refresh_token: credentials.refreshToken }));
		if (tokens) return tokens;
	} catch (error) {
		// Only a refused pair means "log in again"; anything else (SaferMe down) is the answer.
		const status = statusOf(error);
		if (status !== 401 && status !== 403 && status !== 422) {
			throw new Error(`SaferMe could not refresh the session${status ? ` (HTTP ${status})` : ''}: try again later, or check Base URL in the credential`);
		}
	}
	return await login(helper, credentials);
}

/**
 * New tokens for the credential: a login when there is no refresh token, else a refresh (at most
 * one per refresh token in this process), falling back to a login when the refresh token has
 * expired too.
 */
export async function renewSession(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<SessionTokens> {
	const refreshToken = String(credentials.refreshToken ?? '');
	if (refreshToken === '' || String(credentials.sessionToken ?? '') === '') return await login(helper, credentials);
	const key = `${normalizeBaseUrl(credentials.baseUrl)} ${refreshToken}`;
	let pending = refreshes.get(key);
	if (!pending) {
		pending = refreshOrLogin(helper, credentials);
		refreshes.set(key, pending);
		pending.then(
			() => setRotationTimer(key),
			() => refreshes.delete(key),
		);
	}
	return await pending;
}

function setRotationTimer(key: string) {
	const expiresAt = Date.now() + REMEMBER_ROTATION_MS;
	// Dropped lazily on the next renewal; no timer keeps the process alive.
	for (const [k, _p] of refreshes) if ((rotationExpiry.get(k) ?? Infinity) < Date.now()) (refreshes.delete(k), rotationExpiry.delete(k));
	rotationExpiry.set(key, expiresAt);
}
const rotationExpiry = new Map<string, number>();
