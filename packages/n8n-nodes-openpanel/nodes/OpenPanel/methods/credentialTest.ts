import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { waitForRequestSlot } from '../../../core/transport/rateLimiter';
import { CredentialConfigError, normalizeBaseUrl, normalizeClientId, normalizeClientSecret, openPanelHeaders } from '../transport/auth';
import { readOpenPanelErrorBody, refusalOf } from '../transport/errors';
import { OPENPANEL_PACE, openPanelLimiterKey, openPanelUrl } from '../transport';

const TIMEOUT_MS = 30_000;

/**
 * The credential's Test button: one cheap export call (one event of today), paced with the
 * node's requests. OpenPanel answers 401 to every client problem; its message tells them apart,
 * and a write client gets the advice to create a read or root client.
 */
export async function openPanelApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const baseUrl = normalizeBaseUrl(data.baseUrl);
		const clientId = normalizeClientId(data.clientId);
		normalizeClientSecret(data.clientSecret);
		const projectId = String(data.projectId ?? '').trim();
		const today = new Date().toISOString().slice(0, 10);
		const url = openPanelUrl(baseUrl, '/export/events', { limit: 1, start: today, end: today, ...(projectId ? { projectId, project_id: projectId } : {}) });
		const origin = new URL(url).origin;
		await waitForRequestSlot(openPanelLimiterKey(baseUrl, clientId), OPENPANEL_PACE);
		// A credential test gets only n8n's legacy `request` helper (no httpRequest), so it is the one
		// used; the scanner's line for it is listed in scripts/scan-known-problems.json.
		const answer = await sendOnce(this.helpers.request, url, openPanelHeaders(data, origin));
		if ('noAnswer' in answer) {
			return { status: 'Error', message: `Could not reach ${origin} (${answer.noAnswer}). Check the Base URL (OpenPanel Cloud: https://api.openpanel.dev; self-hosted: https://your-domain/api).` };
		}
		return judge(answer);
	} catch (error) {
		// Our own messages name fields and fixes only; anything else may carry request details.
		if (error instanceof CredentialConfigError) return { status: 'Error', message: error.message };
		return { status: 'Error', message: 'The OpenPanel credential test failed unexpectedly. Check the Base URL and try again.' };
	}
}

type LegacyRequest = ICredentialTestFunctions['helpers']['request'];

/** One GET with the only helper n8n gives a credential test (its legacy `request`); any status comes back. */
async function sendOnce(request: LegacyRequest, url: string, headers: Record<string, string>): Promise<{ statusCode: number; body: unknown } | { noAnswer: string }> {
	try {
		return (await request({ method: 'GET', uri: url, headers, json: false, timeout: TIMEOUT_MS, resolveWithFullResponse: true, simple: false })) as { statusCode: number; body: unknown };
	} catch (error) {
		const failure = error as { code?: string; cause?: { code?: string } };
		return { noAnswer: failure.cause?.code ?? failure.code ?? 'no answer' };
	}
}

/** OpenPanel's answer in the user's terms, read as the node's errors read it (refusalOf). */
function judge(answer: { statusCode: number; body: unknown }): INodeCredentialTestResult {
	if (answer.statusCode >= 200 && answer.statusCode < 300) return { status: 'OK', message: 'Connection successful' };
	const said = readOpenPanelErrorBody(answer.body).message ?? '';
	const quoted = said ? ` ("${said}")` : '';
	const error = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });
	switch (refusalOf(answer.statusCode, said)) {
		case 'writeClient':
			return error(`This is a write client, which can only track events${quoted}. Create a read or root client in OpenPanel's project settings → Clients and use its ID and secret.`);
		case 'clientSecret':
			return error(`OpenPanel rejected the Client Secret${quoted}. Copy it again, or create a new client.`);
		case 'clientId':
			return error(`OpenPanel rejected the Client ID${quoted}. Copy it from project settings → Clients.`);
		case 'rootNeedsProject':
			return error(`The client and secret are right, but this is a root client: set Project ID to one of the organization's projects${quoted}.`);
		case 'otherProject':
			return error(`This read client belongs to another project than Project ID${quoted}. Clear Project ID or set the client's project.`);
		case 'noProject':
		case 'noRoute':
			return error(`OpenPanel found no such project, or Base URL is not the API address${quoted}.`);
		default:
			return error(`OpenPanel answered HTTP ${answer.statusCode}${quoted}. Try again later.`);
	}
}
