import { createHmac } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Credential helpers shared by the credential type (which signs requests) and the transport.
 * Nothing here logs or returns a secret: errors name the field and the fix only.
 */

export const DEFAULT_BASE_URL = 'https://www.growingio.com';

export class CredentialConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}

/** `text` as a URL (relative to `base` when given), or undefined when it is none. */
function parseUrl(text: string, base?: string): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
}

/**
 * GrowingIO's current docs send the token bare (`Authorization: <token>`); older pages showed
 * `Token <token>` and users often paste `Bearer <token>`, so a leading scheme word is removed.
 */
export function normalizeApiToken(raw: unknown): string {
	const token = String(raw ?? '')
		.trim()
		.replace(/^(token|bearer)\s+/i, '')
		.trim();
	if (!token) {
		throw new CredentialConfigError(
			'The API Token in the GrowingIO credential is empty. Create one in GrowingIO under 项目配置 → API Token 管理 and paste it.',
		);
	}
	if (/\s/.test(token)) {
		throw new CredentialConfigError(
			'The API Token in the GrowingIO credential contains spaces or line breaks. Paste only the token itself.',
		);
	}
	return token;
}

/** Base URL must be a bare origin: paths such as /projects/… belong to the requests, not the host. */
export function normalizeBaseUrl(raw: unknown): string {
	const text = String(raw ?? '').trim() || DEFAULT_BASE_URL;
	const url = parseUrl(text);
	if (!url) {
		throw new CredentialConfigError(
			`The Base URL "${text}" in the GrowingIO credential is not a valid URL. Use e.g. ${DEFAULT_BASE_URL}.`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialConfigError(
			`The Base URL in the GrowingIO credential must start with https:// (got "${url.protocol}"). Use e.g. ${DEFAULT_BASE_URL}.`,
		);
	}
	if (url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '') {
		throw new CredentialConfigError(
			`The Base URL in the GrowingIO credential must be just the scheme and host, e.g. ${DEFAULT_BASE_URL}, without a path, query or login (got "${url.origin}${url.pathname}").`,
		);
	}
	return url.origin;
}

export function normalizeProjectUid(raw: unknown): string {
	const uid = String(raw ?? '').trim();
	if (!/^[A-Za-z0-9]{4,32}$/.test(uid)) {
		throw new CredentialConfigError(
			`The Project UID in the GrowingIO credential must be the short ID from your project's URL, e.g. "nxog09md" in https://www.growingio.com/projects/nxog09md/… (got "${uid}").`,
		);
	}
	return uid;
}

/**
 * Legacy key-pair login signature: lowercase hex HMAC-SHA256 with the private key
 * over `POST\n/auth/token\nproject=<uid>&ai=<ai>&tm=<ms>`.
 */
export function signAuthToken(privateKey: string, projectUid: string, ai: string, tm: number | string): string {
	return createHmac('sha256', privateKey)
		.update(`POST\n/auth/token\nproject=${projectUid}&ai=${ai}&tm=${tm}`, 'utf8')
		.digest('hex');
}

/** Where a request is going, resolving a relative `url` against `baseURL` as axios does. */
export function requestOrigin(url: string | undefined, baseURL?: string): string | undefined {
	return parseUrl(url ?? '', baseURL)?.origin;
}

/** The destination fields of both request shapes n8n hands to a credential's authenticate. */
export interface RequestDestination {
	url?: string;
	/** n8n's legacy `request` options (HTTP Request node V3/V4) name the address `uri`. */
	uri?: string | URL;
	baseURL?: string;
}

/** The origin a request goes to; `url` wins over `uri`, as in n8n's conversion to axios. */
export function requestDestinationOrigin(options: RequestDestination): string | undefined {
	const address = options.url ?? (options.uri === undefined ? undefined : String(options.uri));
	if (address === undefined) return undefined;
	return requestOrigin(address, options.baseURL);
}

/**
 * The headers that authenticate one request: the bare API token, or the key-pair login code
 * (`sessionCode`); the public key as X-Client-Id whenever it is set, as legacy clients send it.
 */
export function growingIoAuthHeaders(credentials: ICredentialDataDecryptedObject, sessionCode?: string): Record<string, string> {
	const authorization = credentials.authentication === 'keyPair' ? String(sessionCode ?? '') : normalizeApiToken(credentials.apiToken);
	const publicKey = String(credentials.publicKey ?? '').trim();
	return { Authorization: authorization, ...(publicKey ? { 'X-Client-Id': publicKey } : {}) };
}
