import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

/**
 * SaferMe's session: a login gives an access token and a refresh token, both expiring. A refresh
 * (PATCH /api/v4/session) rotates both and kills the old pair at once, so two refreshes of the
 * same pair cannot both succeed: within one n8n instance each pair is refreshed once, and whoever
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

/** A login or refresh that failed; n8n shows its message on the node. */
export class SessionError extends Error {}

export function normalizeBaseUrl(value: unknown): string {
	const text = String(value ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(text)) {
		throw new SessionError(`Base URL "${text}" is not a web address: use https://api.safer.me (or your SaferMe server's address) in the credential`);
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
	const session = { app_bundle_id: String(credentials.appId ?? '').trim(), email: String(credentials.email ?? '').trim(), password: credentials.password };
	const outcome = await sessionCall(helper, credentials, 'POST', session).then(
		(answer: unknown) => ({ answer, refused: false, status: undefined as number | undefined }),
		(error: unknown) => ({ answer: undefined, refused: true, status: statusOf(error) }),
	);
	if (outcome.refused) {
		throw new SessionError(`SaferMe refused the login${outcome.status ? ` (HTTP ${outcome.status})` : ''}: check Email, Password, App ID and Base URL in the credential`);
	}
	const answer = outcome.answer;
	const tokens = tokensFrom(answer);
	if (!tokens) throw new SessionError('SaferMe answered the login without an access token: check Base URL in the credential');
	return tokens;
}

async function refreshOrLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<SessionTokens> {
	const outcome = await sessionCall(helper, credentials, 'PATCH', { access_token: credentials.sessionToken, refresh_token: credentials.refreshToken }).then(
		(answer: unknown) => ({ tokens: tokensFrom(answer), status: undefined as number | undefined, failed: false }),
		(error: unknown) => ({ tokens: undefined, status: statusOf(error), failed: true }),
	);
	if (outcome.tokens) return outcome.tokens;
	// Only a refused pair means "log in again"; anything else (SaferMe down) is the answer.
	const { status } = outcome;
	if (outcome.failed && status !== 401 && status !== 403 && status !== 422) {
		throw new SessionError(`SaferMe could not refresh the session${status ? ` (HTTP ${status})` : ''}: try again later, or check Base URL in the credential`);
	}
	return await login(helper, credentials);
}

/**
 * New tokens for the credential: a login when there is no refresh token, else a refresh (at most
 * one per refresh token in this instance), falling back to a login when the refresh token has
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
	// Dropped lazily on the next renewal; no timer keeps n8n from exiting.
	for (const [k, _p] of refreshes) if ((rotationExpiry.get(k) ?? Infinity) < Date.now()) (refreshes.delete(k), rotationExpiry.delete(k));
	rotationExpiry.set(key, expiresAt);
}
const rotationExpiry = new Map<string, number>();
