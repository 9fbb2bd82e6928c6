import type { IAuthenticate, ICredentialType, INodeProperties } from 'n8n-workflow';

import { openPanelHeaders, requestOrigin } from '../nodes/OpenPanel/transport/auth';

/**
 * OpenPanel's export and insights APIs take the client's ID and secret as headers. They are added
 * only to requests for the Base URL's host, after checking the client ID is a UUID.
 */
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
			placeholder: '3f2b6c1e-8d4a-4b7e-9c5f-1a2b3c4d5e6f',
			description: 'The ID (a UUID) of a read or root client, from the project settings → Clients (a write client cannot export)',
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

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		// Checked here too, so that an HTTP Request node using this credential cannot leak the secret elsewhere.
		const headers = openPanelHeaders(credentials, requestOrigin(requestOptions as { url?: string; uri?: string; baseURL?: string }));
		requestOptions.headers = { ...requestOptions.headers, ...headers };
		return requestOptions;
	};

	// No `test` here: n8n would prefer it to the node's credentialTest method (testedBy), whose
	// messages tell a write client, a wrong secret and a missing Project ID apart.
}
