import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** OpenPanel's export API signs every request with the client's ID and secret as headers. */
export class OpenPanelApi implements ICredentialType {
	name = 'openPanelApi';

	displayName = 'OpenPanel API';

	icon = 'file:openpanel.svg' as const;

	documentationUrl = 'https://openpanel.dev/docs/api/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openpanel.dev',
			required: true,
			description: 'The OpenPanel API address: https://api.openpanel.dev for OpenPanel Cloud, https://your-domain/api when self-hosted',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID of a read or root client (a write client cannot export)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: "Needed for a root client; a read client uses its own project when this is empty",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'openpanel-client-id': '={{$credentials.clientId}}',
				'openpanel-client-secret': '={{$credentials.clientSecret}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/export/events',
			qs: { limit: 1, start: '={{$now.toISODate()}}', end: '={{$now.toISODate()}}' },
		},
	};
}
