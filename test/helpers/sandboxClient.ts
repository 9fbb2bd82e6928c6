import type { Sandbox } from '../../sandbox/server';

/** Asks the sandbox directly (not through the node) for the answer a test expects. */
export async function fetchExpected<T = unknown>(sandbox: Sandbox, path: string): Promise<T> {
	// Keep direct lookups out of the rate-limit budget the node is tested against: a quiet second
	// before and after.
	await new Promise((resolve) => setTimeout(resolve, 1100));
	const response = await fetch(`${sandbox.url}${path}`, { headers: { Authorization: sandbox.apiToken } });
	if (!response.ok) throw new Error(`sandbox answered ${response.status} for ${path}`);
	const body = (await response.json()) as T;
	await new Promise((resolve) => setTimeout(resolve, 1100));
	sandbox.resetRequests();
	return body;
}

export function tokenCredentials(sandbox: Sandbox, overrides: Record<string, unknown> = {}) {
	return {
		authentication: 'apiToken',
		apiToken: sandbox.apiToken,
		projectUid: sandbox.project.uid,
		projectId: sandbox.project.ai,
		baseUrl: sandbox.url,
		...overrides,
	};
}

export function keyPairCredentials(sandbox: Sandbox, overrides: Record<string, unknown> = {}) {
	return {
		authentication: 'keyPair',
		projectUid: sandbox.project.uid,
		projectId: sandbox.project.ai,
		publicKey: sandbox.project.publicKey,
		privateKey: sandbox.project.privateKey,
		baseUrl: sandbox.url,
		...overrides,
	};
}

/** Every secret a test run could leak. */
export function secretsOf(sandbox: Sandbox): string[] {
	return [sandbox.apiToken, sandbox.project.privateKey, ...sandbox.issuedCodes()];
}

/**
 * Both ways to authenticate, for tests that check no secret leaks: Key Pair logs in once per
 * run of the test (`logins`), and the code it is given is then one of secretsOf(sandbox).
 */
export const AUTHENTICATIONS = [
	{ mode: 'API Token', credentials: tokenCredentials, logins: 0 },
	{ mode: 'Key Pair', credentials: keyPairCredentials, logins: 1 },
];
