import type { SaferMeSandbox } from '../sandbox/server';

/**
 * The SaferMe API credential's fields for an Email and Password login to the imitation. The empty
 * session fields make n8n run the credential's preAuthentication (the login) before the first request.
 * Kept free of n8n imports: the real-n8n e2e imports it too.
 */
export function passwordCredentialData(sandbox: SaferMeSandbox) {
	return {
		sessionToken: '',
		refreshToken: '',
		tokenExpiresAt: '',
		authentication: 'password',
		baseUrl: sandbox.url,
		email: sandbox.email,
		password: sandbox.password,
		accessToken: '',
		teamId: String(sandbox.teamId),
		appId: sandbox.appId,
	};
}
