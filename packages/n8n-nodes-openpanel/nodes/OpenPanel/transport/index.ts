import type { IDataObject } from 'n8n-workflow';

import { getJson, type ServiceContext } from '../../../core/transport/request';

export const CREDENTIAL_TYPE = 'openPanelApi';

/** GET an OpenPanel API path with the node's credential; its Project ID is sent when set. */
export async function openPanelGet(context: ServiceContext, path: string, qs: IDataObject, itemIndex?: number): Promise<unknown> {
	const credentials = await context.getCredentials<{ baseUrl: string; projectId?: string }>(CREDENTIAL_TYPE);
	const projectId = credentials.projectId?.trim();
	return await getJson(context, {
		credentialType: CREDENTIAL_TYPE,
		service: 'OpenPanel',
		baseUrl: credentials.baseUrl,
		path,
		qs: projectId ? { ...qs, projectId } : qs,
		itemIndex,
	});
}
