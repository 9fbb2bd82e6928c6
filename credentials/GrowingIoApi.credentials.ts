import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	CredentialConfigError,
	DEFAULT_BASE_URL,
	growingIoAuthHeaders,
	normalizeBaseUrl,
	normalizeProjectUid,
	requestDestinationOrigin,
} from '../nodes/GrowingIo/transport/auth';
import { keyPairSession, sendWithHttpRequest, storedSession } from '../nodes/GrowingIo/transport/keyPairLogin';
import { getRequestCancelSignal, getRequestPace, setRequestStartedAt, waitForRequestSlot } from '../core/transport/rateLimiter';
import { HTTP_REQUEST_NODE_PACE, projectLimiterKey } from '../nodes/GrowingIo/transport/pace';

/**
 * Credentials objects whose request this credential refused itself (a host other than the Base
 * URL's, a failed login). n8n's legacy request path (the HTTP Request node) calls
 * preAuthentication again after any failure; a new login cannot help these, so none is made.
 */
const refusedCredentials = new WeakSet<ICredentialDataDecryptedObject>();

/**
 * Credentials objects last used for a request in n8n's legacy shape (`uri`, the HTTP Request
 * node). After such a request fails, n8n calls preAuthentication whatever the failure was (a
 * 429, a 404 …), so the stored code is checked before it is replaced by a new login.
 */
const legacyRequestCredentials = new WeakSet<ICredentialDataDecryptedObject>();

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
			hint: 'In GrowingIO: 项目配置 → API Token 管理 → 新建 API Token. GrowingIO shows it only once.',
			description: 'Paste the token itself; a leading "Token " or "Bearer " is removed',
		},
		{
			displayName: 'Project UID',
			name: 'projectUid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. nxog09md',
			hint: 'The short ID after /projects/ in your GrowingIO address, e.g. nxog09md in growingio.com/projects/nxog09md/dashboard/…',
			description: 'Used in every request path. Not the 16- or 32-character Project ID below.',
		},
		{
			// Shown as "Project ID" (GrowingIO's own word); the internal name stays projectId so that saved credentials keep working.
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'e.g. a5006f6a0d3a6aab',
			hint: 'The 16- or 32-character hex ID on 项目配置 that GrowingIO\'s API calls "ai" (also the SDK accountId). Needed for Raw Export and for Key Pair; optional otherwise.',
			description: 'Not the Project UID from the address',
		},
		{
			displayName: 'Public Key (X-Client-Id)',
			name: 'publicKey',
			// The public key travels in a header with every request; it is not a secret.
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing
			type: 'string',
			default: '',
			hint: 'Required for Key Pair. Optional with an API Token: leave it empty unless GrowingIO asked you to send it.',
			description: 'The public key from 项目配置, sent as the X-Client-Id header when set',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['keyPair'] } },
			hint: 'The private key from 项目配置. It signs the login and is never sent itself.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			hint: 'Change only for a private GrowingIO host or the local sandbox: just the scheme and host, no path',
			description: 'The token is sent only to this host',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// When this instance received sessionToken (ms): orders codes stored by several n8n instances.
			displayName: 'Session Issued At',
			name: 'sessionIssuedAt',
			type: 'hidden',
			default: 0,
		},
	];

	/**
	 * n8n calls this when the hidden sessionToken is empty and after a refused request. Key Pair:
	 * a code newer than the stored one (from this instance's cache, or a new login); n8n stores
	 * what this returns with the credential. API Token: there is no login, so nothing is stored.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.authentication !== 'keyPair') return {};
		if (refusedCredentials.has(credentials)) {
			refusedCredentials.delete(credentials);
			return {};
		}
		const checkHeld = legacyRequestCredentials.has(credentials);
		legacyRequestCredentials.delete(credentials);
		try {
			// Returning the held code again makes n8n send the failed request once more, paced.
			const session = await keyPairSession(sendWithHttpRequest(this), credentials, storedSession(credentials), { checkHeld });
			return { sessionToken: session.code, sessionIssuedAt: session.issuedAt };
		} catch (error) {
			refusedCredentials.add(credentials);
			throw error;
		}
	}

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		// The token belongs to GrowingIO's host only (raw-export links are third-party storage).
		const target = requestDestinationOrigin(requestOptions);
		if (target !== baseUrl) {
			refusedCredentials.add(credentials);
			throw new CredentialConfigError(
				`GrowingIO credentials are only sent to ${baseUrl}; this request goes to ${target ?? 'an invalid URL'}. Use a URL on the credential's Base URL.`,
			);
		}
		// Every request that carries this credential takes a slot, including n8n's own retry
		// after a re-login and HTTP Request nodes that use this credential.
		await waitForRequestSlot(projectLimiterKey(baseUrl, normalizeProjectUid(credentials.projectUid)), getRequestPace(requestOptions) ?? HTTP_REQUEST_NODE_PACE, getRequestCancelSignal(requestOptions));
		setRequestStartedAt(requestOptions, Date.now());

		refusedCredentials.delete(credentials);
		if (requestOptions.url === undefined) legacyRequestCredentials.add(credentials);
		else legacyRequestCredentials.delete(credentials);
		requestOptions.headers = { ...requestOptions.headers, ...growingIoAuthHeaders(credentials, String(credentials.sessionToken ?? '')) };
		return requestOptions;
	};

	// No `test` here: n8n would prefer it to the nodes' credentialTest method (testedBy), whose
	// messages tell a wrong token, Project UID and Project ID apart.
}
