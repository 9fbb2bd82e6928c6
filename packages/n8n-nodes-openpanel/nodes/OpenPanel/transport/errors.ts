import { afterTries, explainTransportFailure, saidBy, type TransportFailureHints } from '../../../core/transport/failureTexts';
import type { ErrorBodySaid, RequestFailure } from '../../../core/transport/retryPolicy';
import type { Explanation, FailureContext } from '../../../core/transport/serviceRequest';

/**
 * OpenPanel's error answers: `{status, error?, message}` JSON from its error handler (400, 401,
 * 403, 404, 429), but a 500 in production is the plain text `Internal server error`.
 */
export function readOpenPanelErrorBody(body: unknown): ErrorBodySaid {
	const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
	try {
		const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
		if (parsed && typeof parsed === 'object') {
			const message = typeof parsed.message === 'string' ? parsed.message : undefined;
			return { message, errorCodes: typeof parsed.error === 'string' ? [parsed.error] : [] };
		}
	} catch {
		// Not JSON: a plain-text or HTML body.
	}
	const plain = text.trim();
	return { message: plain && !plain.startsWith('<') ? plain.slice(0, 200) : undefined, errorCodes: [] };
}

/** What an OpenPanel refusal says is wrong; the client problems are all 401s, told apart by the message. */
export type OpenPanelRefusal = 'writeClient' | 'onlyRoot' | 'clientSecret' | 'clientId' | 'rootNeedsProject' | 'badRequest' | 'otherProject' | 'noRoute' | 'noProject';

/** The one reading of OpenPanel's 400/401/403/404 answers, for node errors and the credential's Test button. */
export function refusalOf(status: number, message: string): OpenPanelRefusal | undefined {
	if (status === 401) return /not allowed to export/i.test(message) ? 'writeClient' : /only root clients/i.test(message) ? 'onlyRoot' : /secret/i.test(message) ? 'clientSecret' : 'clientId';
	if (status === 400) return /project_?id/i.test(message) ? 'rootNeedsProject' : 'badRequest';
	if (status === 403) return 'otherProject';
	if (status === 404) return /^Route /.test(message) ? 'noRoute' : 'noProject';
	return undefined;
}

const CREDENTIAL_FIX = 'Open the OpenPanel credential used by this node, correct it and save it.';

const OPENPANEL_HINTS: TransportFailureHints = {
	service: 'OpenPanel',
	timeout: 'Use a shorter date range, or try again later.',
	unreachable:
		'Check the Base URL in the OpenPanel credential (OpenPanel Cloud: https://api.openpanel.dev; self-hosted: https://your-domain/api) and that this n8n instance can reach it.',
	html: 'A proxy or the dashboard answered instead of the API. Check that the Base URL is the API address (self-hosted: https://your-domain/api, not the dashboard).',
};

/** A final failure in OpenPanel's terms: message = what happened; description = what to do. */
export function explainFailure(failure: RequestFailure, { attempts, subject }: FailureContext): Explanation {
	const thing = subject ?? 'the requested data';
	const transport = explainTransportFailure(failure, attempts, OPENPANEL_HINTS);
	if (transport) return transport;
	const status = failure.status ?? 0;
	switch (refusalOf(status, failure.message ?? '')) {
		case 'writeClient':
			return {
				message: `OpenPanel refused the client: it is a write client, which can only track events (401${saidBy(failure)})`,
				description: "Create a client of type read (one project) or root (the organization) in OpenPanel's project settings → Clients, and put its ID and secret into the OpenPanel credential.",
			};
		case 'onlyRoot':
			return {
				message: `OpenPanel lists projects only for root clients; this client's project is fixed (401${saidBy(failure)})`,
				description:
					"A read client always reads its own project: leave Project empty, or choose By ID and enter the client's project. To pick from a list, use a root client in the OpenPanel credential.",
			};
		case 'clientSecret':
		case 'clientId':
			return {
				message: `OpenPanel rejected the credentials (401${saidBy(failure)})`,
				description: `Check Client ID and Client Secret: copy them again from OpenPanel's project settings → Clients, or create a new read client. ${CREDENTIAL_FIX}`,
			};
		case 'otherProject':
			return {
				message: `OpenPanel refused access to ${thing} (403${saidBy(failure)})`,
				description: 'A read client can only read its own project. Leave Project ID empty, set it to the client\'s project, or use a root client for other projects.',
			};
		case 'noRoute':
			return {
				message: `This OpenPanel server has no such route (404${saidBy(failure)})`,
				description: 'The server is older than this operation (self-hosted OpenPanel added the funnel and event-names routes in 2026), or Base URL misses the /api part of a self-hosted address.',
			};
		case 'noProject':
			return { message: `OpenPanel found no ${thing} (404${saidBy(failure)})`, description: 'Check Project ID: the project must belong to the client\'s organization.' };
		case 'rootNeedsProject':
			return {
				message: `OpenPanel needs a project for ${thing} (400${saidBy(failure)})`,
				description: 'This is a root client, which has no project of its own: set Project ID in the node or in the OpenPanel credential.',
			};
		case 'badRequest':
			return { message: `OpenPanel refused the request for ${thing} (400${saidBy(failure)})`, description: 'Check the parameters named in the message.' };
	}
	if (status === 429) {
		return {
			message: `OpenPanel's rate limit was exceeded${afterTries(attempts)} (429${saidBy(failure)})`,
			description: 'OpenPanel allows 100 requests per 10 seconds per client, shared by all workflows using it (10 on older servers). Run fewer requests at once, or try again later.',
		};
	}
	if (status >= 500) {
		return {
			message: `OpenPanel failed to answer ${thing} (HTTP ${status}${saidBy(failure)})${afterTries(attempts)}`,
			description: 'OpenPanel had an internal error. With a root client this also happens when Project ID names no project of its organization; otherwise try again later.',
		};
	}
	return { message: `OpenPanel answered HTTP ${status}${saidBy(failure)} for ${thing}`, description: 'Check the node parameters and the OpenPanel credential.' };
}
