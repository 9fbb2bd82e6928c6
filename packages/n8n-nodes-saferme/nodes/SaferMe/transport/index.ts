import type { IDataObject } from 'n8n-workflow';

import { getJson, type ServiceContext } from '../../../core/transport/request';

export const CREDENTIAL_TYPE = 'saferMeApi';

/** GET a SaferMe API path with the node's credential (session token, app and team headers). */
export async function saferMeGet(context: ServiceContext, path: string, qs: IDataObject, itemIndex?: number): Promise<unknown> {
	const credentials = await context.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE);
	return await getJson(context, { credentialType: CREDENTIAL_TYPE, service: 'SaferMe', baseUrl: credentials.baseUrl, path, qs, itemIndex });
}
