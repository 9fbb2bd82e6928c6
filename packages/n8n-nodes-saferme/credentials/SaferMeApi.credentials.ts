import type {
	ICredentialDataDecryptedObject,
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/**
 * SaferMe signs requests with a session token that expires. n8n logs in with the email and
 * password (preAuthentication), keeps the token in the hidden expirable field and logs in again
 * when a request is refused with 401.
 */
export class SaferMeApi implements ICredentialType {
	name = 'saferMeApi';

	displayName = 'SaferMe API';

	icon = 'file:saferme.svg' as const;

	documentationUrl = 'https://saferme.github.io/saferme-api-docs/sessions.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
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
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Team ID',
			name: 'teamId',
			type: 'string',
			default: '',
			required: true,
			description: 'The team whose data the requests read (sent as X-TeamId)',
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
		let answer: { access_token?: unknown };
		try {
			answer = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${String(credentials.baseUrl).trim().replace(/\/+$/, '')}/api/v4/session`,
				headers: { 'X-AppId': String(credentials.appId) },
				body: { session: { app_bundle_id: credentials.appId, email: credentials.email, password: credentials.password } },
				json: true,
			})) as { access_token?: unknown };
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(`SaferMe refused the login${status ? ` (HTTP ${status})` : ''}: check Email, Password, App ID and Base URL in the credential`);
		}
		if (typeof answer?.access_token !== 'string' || answer.access_token === '') {
			throw new Error('SaferMe answered the login without an access token: check Base URL in the credential');
		}
		return { sessionToken: answer.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Token token={{$credentials.sessionToken}}',
				'X-AppId': '={{$credentials.appId}}',
				'X-TeamId': '={{$credentials.teamId}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v4/teams',
		},
	};
}
