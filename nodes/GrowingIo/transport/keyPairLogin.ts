import { createHash } from 'crypto';
import { sleep, type ICredentialDataDecryptedObject, type ICredentialTestFunctions, type IHttpRequestHelper } from 'n8n-workflow';

import { CredentialConfigError, growingIoAuthHeaders, normalizeBaseUrl, normalizeProjectUid, signAuthToken } from './auth';
import { pauseRequests, waitForRequestSlot } from '../../../core/transport/rateLimiter';
import { asksTooLongAWait, backoffDelay, describeThrown } from '../../../core/transport/retryPolicy';
import { describeResponse, parseGrowingIoErrorBody } from './errorBody';
import { GROWINGIO_PACE, projectLimiterKey } from './pace';

/**
 * The legacy key-pair login (`POST /auth/token`) and the codes it issues, shared by the
 * credential's preAuthentication and the Credential Test.
 */

/** One request as the login and the Credential Test send it. */
export interface HttpCall {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
}

/** The answer whatever its status: the body as text. */
export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Sends one request; throws only when no answer came (connection refused, reset, timeout). */
export type HttpSend = (call: HttpCall) => Promise<HttpAnswer>;

/** The helper n8n gives preAuthentication. */
export function sendWithHttpRequest(helper: IHttpRequestHelper): HttpSend {
	return async (call) =>
		(await helper.helpers.httpRequest({
			method: call.method,
			url: call.url,
			headers: call.headers,
			body: call.body,
			encoding: 'text',
			timeout: call.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as HttpAnswer;
}

/** The only helper n8n gives a node's credentialTest method (its legacy `request`). */
export function sendWithLegacyRequest(request: ICredentialTestFunctions['helpers']['request']): HttpSend {
	return async (call) =>
		(await request({
			method: call.method,
			uri: call.url,
			headers: call.headers,
			body: call.body,
			json: false,
			timeout: call.timeoutMs,
			resolveWithFullResponse: true,
			simple: false,
		})) as HttpAnswer;
}

/** How one paced exchange ended: GrowingIO's last answer, or the error code of the last try that got none. */
export type PacedResult = { answer: HttpAnswer; attempts: number } | { noAnswer: string; retryable: boolean; attempts: number };

/**
 * Sends `call()` (built anew for each try) through the project's limiter, trying again up to
 * `tries` times on GrowingIO's own hiccups (429, 5xx, resets, timeouts) with backoff. A
 * Retry-After over the transport's cap comes back at once: a login or a Credential Test must not
 * hold every execution waiting on it.
 */
export async function sendPaced(send: HttpSend, limiter: string, tries: number, call: () => HttpCall): Promise<PacedResult> {
	for (let attempt = 1; ; attempt++) {
		await waitForRequestSlot(limiter, GROWINGIO_PACE);
		const answer = await answerOrCode(send, call());
		if ('noAnswer' in answer) {
			const { retryable } = describeThrown({ httpCode: answer.noAnswer });
			if (!retryable || attempt >= tries) return { noAnswer: answer.noAnswer, retryable, attempts: attempt };
			await sleep(backoffDelay(attempt));
			continue;
		}
		const failure = answer.statusCode >= 200 && answer.statusCode < 300 ? undefined : describeResponse(answer.statusCode, answer.headers, answer.body);
		if (!failure?.retryable || attempt >= tries || asksTooLongAWait(failure)) return { answer, attempts: attempt };
		const delay = backoffDelay(attempt, failure.retryAfterMs);
		if (answer.statusCode === 429) pauseRequests(limiter, delay);
		await sleep(delay);
	}
}

/** The answer, or only the code of the error when none came: the HTTP client's error carries the request (signature, public key). */
async function answerOrCode(send: HttpSend, call: HttpCall): Promise<HttpAnswer | { noAnswer: string }> {
	try {
		return await send(call);
	} catch (error) {
		return { noAnswer: String((error as { code?: unknown }).code ?? 'no answer') };
	}
}

/** A login code and when this instance received it (ms); the time orders codes from several n8n instances. */
export interface KeyPairSession {
	code: string;
	issuedAt: number;
}

/** How many times one login is tried when GrowingIO's side fails (5xx, 429, a reset or a timeout). */
export const KEY_PAIR_LOGIN_TRIES = 3;
const LOGIN_TIMEOUT_MS = 30000;

/**
 * The newest code per key pair in this n8n instance: GrowingIO invalidates the old code whenever
 * a new one is issued, so two executions that both saw an expired code must not both log in:
 * the second one reuses the code the first one just got. Keyed by a hash, never the keys.
 */
const sessions = new Map<string, { session?: KeyPairSession; pending?: Promise<KeyPairSession> }>();

function sessionKey(credentials: ICredentialDataDecryptedObject): string {
	return createHash('sha256')
		.update(
			[credentials.baseUrl, credentials.projectUid, credentials.projectId, credentials.publicKey, credentials.privateKey]
				.map((part) => String(part ?? '').trim())
				.join('\n'),
		)
		.digest('hex');
}

/**
 * A code to use instead of `held` (the code the caller has, which is missing or was refused).
 * A cached code is reused only when it was issued after `held`: the stored code may come from
 * another n8n instance (or from before a restart) and be newer than this instance's cache.
 */
export async function keyPairSession(
	send: HttpSend,
	credentials: ICredentialDataDecryptedObject,
	held?: KeyPairSession,
	options: { checkHeld?: boolean } = {},
): Promise<KeyPairSession> {
	const key = sessionKey(credentials);
	const entry = sessions.get(key) ?? {};
	sessions.set(key, entry);
	if (entry.pending) return await entry.pending;
	const cached = entry.session;
	if (cached && cached.code !== held?.code && cached.issuedAt > (held?.issuedAt ?? 0)) return cached;

	// Callers that come meanwhile wait for this one answer instead of logging in themselves.
	entry.pending = (async () => {
		// The caller does not know that GrowingIO refused the held code: ask before replacing it,
		// because every login invalidates the code other executions and processes are using.
		if (held && options.checkHeld && (await keyPairCodeWorks(send, credentials, held.code))) return held;
		return await logInWithKeyPair(send, credentials);
	})();
	try {
		const session = await entry.pending;
		if (session.issuedAt >= (entry.session?.issuedAt ?? 0)) entry.session = session;
		return session;
	} finally {
		entry.pending = undefined;
	}
}

/** Whether GrowingIO still accepts `code`: one paced request for the project's dashboards. */
async function keyPairCodeWorks(send: HttpSend, credentials: ICredentialDataDecryptedObject, code: string): Promise<boolean> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const projectUid = normalizeProjectUid(credentials.projectUid);
	const result = await sendPaced(send, projectLimiterKey(baseUrl, projectUid), 1, () => ({
		method: 'GET',
		url: `${baseUrl}/projects/${encodeURIComponent(projectUid)}/dashboards.json`,
		headers: growingIoAuthHeaders(credentials, code),
		timeoutMs: LOGIN_TIMEOUT_MS,
	}));
	// No answer says nothing about the code; a new login would not help either.
	return 'noAnswer' in result || result.answer.statusCode !== 401;
}

/** The stored code and its issue time as n8n keeps them in the credential's hidden fields. */
export function storedSession(credentials: ICredentialDataDecryptedObject): KeyPairSession | undefined {
	const code = String(credentials.sessionToken ?? '');
	if (!code) return undefined;
	const issuedAt = Number(credentials.sessionIssuedAt);
	// Saved before issue times were kept: older than any code this instance has received.
	return { code, issuedAt: Number.isFinite(issuedAt) ? issuedAt : 0 };
}

/** For tests: forget every cached code. */
export function resetKeyPairSessions(): void {
	sessions.clear();
}

function loginAdvice(errorCodes: string[]): string {
	if (errorCodes.includes('invalid_signature')) return 'Check the Private Key (it must belong to the Public Key).';
	if (errorCodes.includes('stale_timestamp')) return "Check the n8n server's clock: the login is signed with the current time.";
	return 'Check the Project UID, Project ID, Public Key and Private Key.';
}

async function logInWithKeyPair(send: HttpSend, credentials: ICredentialDataDecryptedObject): Promise<KeyPairSession> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const projectUid = normalizeProjectUid(credentials.projectUid);
	const ai = String(credentials.projectId ?? '').trim();
	const publicKey = String(credentials.publicKey ?? '').trim();
	const privateKey = String(credentials.privateKey ?? '').trim();
	if (!ai || !publicKey || !privateKey) {
		throw new CredentialConfigError(
			"Key Pair authentication needs the Project ID (ai), the Public Key and the Private Key from GrowingIO's 项目配置 page. Fill in all three, or switch Authentication to API Token.",
		);
	}
	const url = `${baseUrl}/auth/token`;
	// Signed anew for every try: GrowingIO refuses a stale timestamp.
	const result = await sendPaced(send, projectLimiterKey(baseUrl, projectUid), KEY_PAIR_LOGIN_TRIES, () => {
		const tm = Date.now();
		return {
			method: 'POST',
			url,
			headers: { 'X-Client-Id': publicKey, 'Content-Type': 'application/x-www-form-urlencoded' },
			// GrowingIO documents a raw body, not form fields; the string is already url-safe.
			body: `project=${encodeURIComponent(projectUid)}&ai=${encodeURIComponent(ai)}&tm=${tm}&auth=${signAuthToken(privateKey, projectUid, ai, tm)}`,
			timeoutMs: LOGIN_TIMEOUT_MS,
		};
	});
	if ('noAnswer' in result) {
		throw new CredentialConfigError(
			result.retryable
				? `GrowingIO's login at ${url} did not answer (${result.noAnswer}, ${result.attempts} tries). This is not a problem with the key pair; try again later.`
				: `Could not reach ${url} to log in with the key pair (${result.noAnswer}). Check the Base URL.`,
		);
	}

	const { answer, attempts } = result;
	if (answer.statusCode >= 200 && answer.statusCode < 300) return { code: issuedCode(answer.body), issuedAt: Date.now() };
	const failure = describeResponse(answer.statusCode, answer.headers, answer.body);
	if (asksTooLongAWait(failure)) {
		// The same cap as every other request: a login must not hold every execution for hours.
		throw new CredentialConfigError(
			`GrowingIO asked to wait ${Math.round((failure.retryAfterMs ?? 0) / 1000)} s before the next key-pair login (HTTP 429). This is not a problem with the key pair; try again after that time.`,
		);
	}
	// GrowingIO's own message only: an HTML page's title ("502 Bad Gateway") would make n8n
	// replace the whole message with its generic one.
	const said = failure.message ? `: ${failure.message}` : '';
	throw new CredentialConfigError(
		failure.retryable
			? `GrowingIO's login failed on its side (HTTP ${answer.statusCode}${said}) ${attempts} times. This is not a problem with the key pair; try again later.`
			: `GrowingIO refused the key-pair login (HTTP ${answer.statusCode}${said}). ${loginAdvice(failure.errorCodes)} Or use an API Token instead.`,
	);
}

function issuedCode(body: unknown): string {
	let parsed: { status?: unknown; code?: unknown } | undefined;
	try {
		parsed = typeof body === 'string' ? JSON.parse(body) : (body as typeof parsed);
	} catch {
		parsed = undefined;
	}
	if (parsed?.status !== 'success' || typeof parsed.code !== 'string' || !parsed.code) {
		const said = parseGrowingIoErrorBody(body).message;
		throw new CredentialConfigError(
			`GrowingIO did not issue a token for the key pair${said ? ` (${said})` : ''}. GrowingIO has retired key-pair tokens for many projects: create an API Token under 项目配置 → API Token 管理 and switch Authentication to API Token.`,
		);
	}
	return parsed.code;
}
