import { createHash } from 'crypto';
import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	CredentialConfigError,
	DEFAULT_BASE_URL,
	normalizeApiToken,
	normalizeBaseUrl,
	normalizeProjectUid,
	requestOrigin,
	signAuthToken,
} from '../nodes/GrowingIo/transport/auth';
import { getRequestCancelSignal, getRequestInterval, limiterKey, waitForRequestSlot } from '../nodes/GrowingIo/transport/rateLimiter';
import { parseGrowingIoErrorBody } from '../nodes/GrowingIo/transport/retryPolicy';

/**
 * The newest key-pair code per key pair in this n8n instance. GrowingIO invalidates the old code
 * whenever a new one is issued, so two executions that both saw an expired code must not both log
 * in: the second one reuses the code the first one just got. Keyed by a hash, never the keys.
 */
const keyPairCodes = new Map<string, { code?: string; pending?: Promise<string> }>();

function keyPairCacheKey(credentials: ICredentialDataDecryptedObject): string {
	return createHash('sha256')
		.update(
			[credentials.baseUrl, credentials.projectUid, credentials.projectId, credentials.publicKey, credentials.privateKey]
				.map((part) => String(part ?? '').trim())
				.join('\n'),
		)
		.digest('hex');
}

function growingIoMessage(body: unknown): string | undefined {
	return parseGrowingIoErrorBody(body).message;
}

async function requestKeyPairCode(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const projectUid = normalizeProjectUid(credentials.projectUid);
	const ai = String(credentials.projectId ?? '').trim();
	const publicKey = String(credentials.publicKey ?? '').trim();
	const privateKey = String(credentials.privateKey ?? '').trim();
	if (!ai || !publicKey || !privateKey) {
		throw new CredentialConfigError(
			'Key Pair authentication needs the Project ID (ai), the Public Key and the Private Key from GrowingIO\'s 项目配置 page. Fill in all three, or switch Authentication to API Token.',
		);
	}
	const tm = Date.now();
	const auth = signAuthToken(privateKey, projectUid, ai, tm);

	let response: unknown;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrl}/auth/token`,
			headers: { 'X-Client-Id': publicKey, 'Content-Type': 'application/x-www-form-urlencoded' },
			// GrowingIO documents a raw body, not form fields; the string is already url-safe.
			body: `project=${encodeURIComponent(projectUid)}&ai=${encodeURIComponent(ai)}&tm=${tm}&auth=${auth}`,
			encoding: 'text',
			timeout: 30000,
		});
	} catch (error) {
		// Rebuild the error: the HTTP client's error carries the request (signature, public key).
		const status = (error as { response?: { status?: number } }).response?.status;
		const body = (error as { response?: { data?: unknown } }).response?.data;
		const said = growingIoMessage(body);
		throw new CredentialConfigError(
			status
				? `GrowingIO refused the key-pair login (HTTP ${status}${said ? `: ${said}` : ''}). Check the Project UID, Project ID, Public Key and Private Key, or use an API Token instead.`
				: `Could not reach ${baseUrl}/auth/token to log in with the key pair (${(error as Error).message}). Check the Base URL.`,
		);
	}

	let parsed: { status?: unknown; code?: unknown } | undefined;
	try {
		parsed = typeof response === 'string' ? JSON.parse(response) : (response as typeof parsed);
	} catch {
		parsed = undefined;
	}
	if (parsed?.status !== 'success' || typeof parsed.code !== 'string' || !parsed.code) {
		throw new CredentialConfigError(
			`GrowingIO did not issue a token for the key pair${growingIoMessage(response) ? ` (${growingIoMessage(response)})` : ''}. GrowingIO has retired key-pair tokens for many projects: create an API Token under 项目配置 → API Token 管理 and switch Authentication to API Token.`,
		);
	}
	return parsed.code;
}

export class GrowingIoApi implements ICredentialType {
	name = 'growingIoApi';

	displayName = 'GrowingIO API';

	icon = 'file:growingio.svg' as const;

	documentationUrl = 'https://docs.growingio.com/v3/developer-manual/api-reference/authenticate';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Token',
					value: 'apiToken',
					description: 'A token created in GrowingIO under 项目配置 → API Token 管理 (recommended)',
				},
				{
					name: 'Key Pair (Legacy)',
					value: 'keyPair',
					description: 'Public and private key; logs in through /auth/token. Retired on many SaaS projects.',
				},
			],
			default: 'apiToken',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiToken'] } },
			description:
				'Create it in GrowingIO under 项目配置 → API Token 管理 → 新建 API Token. It is shown only once. A leading "Token " or "Bearer " is removed.',
		},
		{
			displayName: 'Project UID',
			name: 'projectUid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. nxog09md',
			description: 'The ID after /projects/ in your GrowingIO URL, e.g. nxog09md in https://www.growingio.com/projects/nxog09md/dashboard/YoX28w7R',
		},
		{
			displayName: 'Project ID (AI)',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'e.g. a5006f6a0d3a6aab',
			description: 'The project ID (ai, the SDK accountId) from 项目配置. Needed for raw data export and for key-pair login.',
		},
		{
			displayName: 'Public Key (X-Client-Id)',
			name: 'publicKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The public key from 项目配置. Required for key-pair login; optional with an API Token (sent as X-Client-Id when set).',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['keyPair'] } },
			description: 'The private key from 项目配置. It signs the login and is never sent itself.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Change only for a private GrowingIO host or the local sandbox. Just the scheme and host, no path.',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * n8n calls this when the hidden sessionToken is empty, after a 401, and on the Test button.
	 * Key Pair: log in and cache the code (n8n stores it with the credential). API Token: there is
	 * no login, so return nothing and n8n stores nothing.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.authentication !== 'keyPair') return {};

		const cacheKey = keyPairCacheKey(credentials);
		const entry = keyPairCodes.get(cacheKey) ?? {};
		keyPairCodes.set(cacheKey, entry);
		if (entry.pending) return { sessionToken: await entry.pending };
		// Another execution already replaced the code this one holds: use the newer code.
		if (entry.code && entry.code !== credentials.sessionToken) return { sessionToken: entry.code };

		entry.pending = requestKeyPairCode(this, credentials);
		try {
			entry.code = await entry.pending;
		} finally {
			entry.pending = undefined;
		}
		return { sessionToken: entry.code };
	}

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		// The token belongs to GrowingIO's host only (raw-export links are third-party storage).
		const target = requestOrigin(requestOptions.url, requestOptions.baseURL);
		if (target !== baseUrl) {
			throw new CredentialConfigError(
				`GrowingIO credentials are only sent to ${baseUrl}; this request goes to ${target ?? 'an invalid URL'}. Use a URL on the credential's Base URL.`,
			);
		}
		// Every request that carries this credential takes a slot, including n8n's own retry
		// after a re-login and HTTP Request nodes that use this credential.
		await waitForRequestSlot(limiterKey(baseUrl, normalizeProjectUid(credentials.projectUid)), getRequestInterval(requestOptions), getRequestCancelSignal(requestOptions));

		const authorization =
			credentials.authentication === 'keyPair' ? String(credentials.sessionToken ?? '') : normalizeApiToken(credentials.apiToken);
		const publicKey = String(credentials.publicKey ?? '').trim();
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: authorization,
			...(publicKey ? { 'X-Client-Id': publicKey } : {}),
		};
		return requestOptions;
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '=/projects/{{$credentials.projectUid}}/dashboards.json',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'GrowingIO rejected the token. Check the API Token (or key pair) and the Project UID.' },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'GrowingIO does not know this Project UID. Copy it from your project URL.' },
			},
		],
	};
}
