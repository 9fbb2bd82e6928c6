import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * The OpenPanel credential's fields, checked before anything is sent: OpenPanel refuses a client
 * ID that is not a UUID, and the client headers must only ever reach the Base URL's host.
 */

/** A credential field our own checks refused; the message names the field and the fix. */
export class CredentialConfigError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUrl(text: string, base?: string): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
}

/** `https://host[/path]` without a trailing slash; refused when it is not an http(s) address. */
export function normalizeBaseUrl(value: unknown): string {
	const text = String(value ?? '').trim().replace(/\/+$/, '');
	const url = parseUrl(text);
	if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
		throw new CredentialConfigError(
			`Base URL must be an http(s) address such as https://api.openpanel.dev or https://your-domain/api (got "${text}"). Correct Base URL in the OpenPanel credential.`,
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The client ID as OpenPanel accepts it: a UUID (it answers 401 to anything else). */
export function normalizeClientId(value: unknown): string {
	const text = String(value ?? '').trim();
	if (!UUID.test(text)) {
		throw new CredentialConfigError(
			`Client ID must be a UUID such as 3f2b6c1e-8d4a-4b7e-9c5f-1a2b3c4d5e6f (got "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"). Copy the client ID from OpenPanel's project settings → Clients into the OpenPanel credential.`,
		);
	}
	return text;
}

export function normalizeClientSecret(value: unknown): string {
	const text = String(value ?? '').trim();
	if (!text) throw new CredentialConfigError('Client Secret is empty. Paste the secret shown when the client was created into the OpenPanel credential.');
	return text;
}

/** Where a request is going: n8n's helpers give `url` (maybe relative to `baseURL`) or, legacy, `uri`. */
export function requestOrigin(options: { url?: string; uri?: string | URL; baseURL?: string }): string | undefined {
	const address = options.url ?? (options.uri === undefined ? undefined : String(options.uri));
	return address === undefined ? undefined : parseUrl(address, options.baseURL)?.origin;
}

/** The client headers, for a request to `target`; refused for any other host than the Base URL's. */
export function openPanelHeaders(credentials: ICredentialDataDecryptedObject, target: string | undefined): Record<string, string> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const origin = new URL(baseUrl).origin;
	if (target !== origin) {
		throw new CredentialConfigError(
			`OpenPanel credentials are only sent to ${origin}; this request goes to ${target ?? 'an invalid URL'}. Use a URL on the credential's Base URL.`,
		);
	}
	return { 'openpanel-client-id': normalizeClientId(credentials.clientId), 'openpanel-client-secret': normalizeClientSecret(credentials.clientSecret) };
}
