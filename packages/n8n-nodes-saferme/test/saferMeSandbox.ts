import type { IDataObject, ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SaferMeApi } from '../credentials/SaferMeApi.credentials';
import { nodeResult, runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../../../test/helpers/harness';
import { passwordCredentialData } from './credentialData';
import { startSaferMeSandbox, type SaferMeSandbox, type SandboxOptions } from '../sandbox/server';

export const NODE = 'SaferMe';

/** Starts the imitation for the test and closes it afterwards. */
export async function withSandbox(test: (sandbox: SaferMeSandbox) => Promise<void>, options: SandboxOptions = {}) {
	const sandbox = await startSaferMeSandbox(options);
	try {
		await test(sandbox);
	} finally {
		await sandbox.close();
	}
}

export function credentialsFor(sandbox: SaferMeSandbox, overrides: ICredentialDataDecryptedObject = {}) {
	return new TestCredentialsHelper(
		{ saferMeApi: new SaferMeApi() },
		{
			saferMeApi: { ...passwordCredentialData(sandbox), ...overrides },
		},
	);
}

export async function runSaferMe(parameters: IDataObject, credentialsHelper: TestCredentialsHelper, input: IDataObject[] = [{}]) {
	const run = await runWorkflow({
		workflow: singleNodeWorkflow('n8n-nodes-saferme.saferMe', NODE, 'saferMeApi', parameters),
		credentialsHelper,
		input: input.map((json) => ({ json })),
	});
	return nodeResult(run, NODE);
}

/** Parameters of Analytics → Get over the UTC days [start, end) (Custom range: the last day is end − 1 day). */
export function analytics(report: string, channel: number, start: Date, end: Date, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'analytics',
		operation: 'get',
		report,
		channel: { __rl: true, mode: 'id', value: String(channel) },
		timeRange: 'custom',
		startDate: start.toISOString().slice(0, 10),
		endDate: new Date(end.getTime() - 86400_000).toISOString().slice(0, 10),
		simplify: false,
		options: { timezone: 'UTC' },
		...extra,
	};
}
