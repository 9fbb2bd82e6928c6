import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { OpenPanelApi } from '../../credentials/OpenPanelApi.credentials';
import { nodeResult, runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../../../../test/helpers/harness';
import type { OpenPanelSandbox } from '../openpanel-sandbox/server';

export const NODE = 'OpenPanel';

type ClientName = keyof OpenPanelSandbox['clients'];

/** The credential of one of the imitation's sample clients, with overrides. */
export function credentialOf(sandbox: OpenPanelSandbox, client: ClientName = 'read', extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	const { id, secret } = sandbox.clients[client];
	return { baseUrl: `${sandbox.url}/`, clientId: id, clientSecret: secret, projectId: '', ...extra };
}

/** Manual → OpenPanel with `parameters`, through n8n's engine; the node's items or error. */
export async function runOpenPanel(
	credential: ICredentialDataDecryptedObject,
	parameters: IDataObject,
	options: { input?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	const run = await runWorkflow({
		workflow: singleNodeWorkflow('n8n-nodes-openpanel.openPanel', NODE, 'openPanelApi', parameters, options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		credentialsHelper: new TestCredentialsHelper({ openPanelApi: new OpenPanelApi() }, { openPanelApi: credential }),
		input: (options.input ?? [{}]).map((json) => ({ json })),
	});
	return { run, ...nodeResult(run, NODE) };
}

/** Everything a run produced, as text: to check that no secret is in it. */
export function everythingSaid(result: { json: unknown; error?: unknown }): string {
	const error = result.error as { message?: string; description?: string; context?: unknown } | undefined;
	return JSON.stringify({ json: result.json, error, message: error?.message, description: error?.description, context: error?.context });
}
