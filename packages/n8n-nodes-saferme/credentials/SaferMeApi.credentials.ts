import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestHelper, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { normalizeBaseUrl, renewSession } from '../nodes/SaferMe/transport/session';

/**
 * SaferMe signs requests with a session's access token, which expires. With Email and Password
 * n8n logs in (preAuthentication), keeps the tokens in hidden fields and, when a request is
 * refused with 401, refreshes them with the refresh token, or logs in again once that has expired
 * too. A pasted Access Token is used as it is. The headers go only to the Base URL's host.
 */
export class SaferMeApi implements ICredentialType {
	name = 'saferMeApi';

	displayName = 'SaferMe API';

	icon = 'file:saferme.svg' as const;

	documentationUrl = 'https://github.com/SaferMe/saferme-api-docs/blob/master/sessions.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Token Expires At',
			name: 'tokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.safer.me',
			required: true,
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Email and Password', value: 'password', description: 'n8n logs in and refreshes the session itself' },
				{ name: 'Access Token', value: 'accessToken', description: 'A token you got from SaferMe; replace it when it expires' },
			],
			default: 'password',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An access token from POST /api/v4/session (starts with smt_)',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Team ID',
			name: 'teamId',
			type: 'string',
			default: '',
			required: true,
			description: 'The team whose data the requests read (sent as X-TeamId); Team → Get Many lists yours',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: 'com.thundermaps.saferme',
			required: true,
			description: 'The app the session belongs to (sent as X-AppId)',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A pasted token has nothing to renew: authenticate sends it as it is.
		if (credentials.authentication === 'accessToken') return {};
		return { ...(await renewSession(this, credentials)) };
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const base = new URL(normalizeBaseUrl(credentials.baseUrl));
		const target = new URL(requestOptions.url, requestOptions.baseURL ?? base.href);
		// The token is the user's whole SaferMe account: never to another host (an HTTP Request node's URL).
		if (target.host !== base.host) return requestOptions;
		const token = credentials.authentication === 'accessToken' ? String(credentials.accessToken ?? '').trim() : String(credentials.sessionToken ?? '');
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Token token=${token}`,
				'X-AppId': String(credentials.appId ?? '').trim(),
				'X-TeamId': String(credentials.teamId ?? '').trim(),
			},
		};
	}

	// One channel is the cheapest read that checks the token, App ID and Team ID together.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v4/channels',
			headers: { Range: 'objects=0-0' },
		},
	};
}
