import { BROKEN_CONNECTION_CODES, type ErrorBodySaid, type RequestFailure } from '../../../core/transport/retryPolicy';
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

function said(failure: RequestFailure): string {
	return failure.message ? `: ${failure.message}` : '';
}

function tries(attempts: number): string {
	return attempts > 1 ? ` after ${attempts} tries` : '';
}

const CREDENTIAL_FIX = 'Open the OpenPanel credential used by this node, correct it and save it.';

/** A final failure in OpenPanel's terms: message = what happened; description = what to do. */
export function explainFailure(failure: RequestFailure, { attempts, subject }: FailureContext): Explanation {
	const thing = subject ?? 'the requested data';
	switch (failure.kind) {
		case 'credentials': {
			const problem = failure.message ?? 'The OpenPanel credential is not usable';
			return { message: problem, description: `${problem} ${CREDENTIAL_FIX}` };
		}
		case 'timeout':
			return { message: `OpenPanel did not answer in time${tries(attempts)}`, description: 'Use a shorter date range, or try again later.' };
		case 'network':
			if (failure.detail && BROKEN_CONNECTION_CODES.has(failure.detail)) {
				return {
					message: `The connection to OpenPanel broke${tries(attempts)} (${failure.detail})`,
					description: 'OpenPanel or a proxy in between closed the connection before the answer was complete. Try again later.',
				};
			}
			return {
				message: `Could not connect to OpenPanel${tries(attempts)} (${failure.detail ?? 'network failure'})`,
				description: 'Check the Base URL in the OpenPanel credential (OpenPanel Cloud: https://api.openpanel.dev; self-hosted: https://your-domain/api) and that this n8n instance can reach it.',
			};
		case 'invalid_json':
			return {
				message: `OpenPanel answered with data that is not valid JSON${tries(attempts)}`,
				description: 'This is usually a broken connection or a proxy in between. Try again; if it persists, check the Base URL.',
			};
		case 'html':
			return {
				message: `OpenPanel answered with a web page instead of data (HTTP ${failure.status ?? 200}: ${failure.detail ?? 'an HTML page'})${tries(attempts)}`,
				description: 'A proxy or the dashboard answered instead of the API. Check that the Base URL is the API address (self-hosted: https://your-domain/api, not the dashboard).',
			};
		case 'http':
			break;
	}
	const status = failure.status ?? 0;
	const message = failure.message ?? '';
	if (status === 401 && /not allowed to export/i.test(message)) {
		return {
			message: `OpenPanel refused the client: it is a write client, which can only track events (401${said(failure)})`,
			description: "Create a client of type read (one project) or root (the organization) in OpenPanel's project settings → Clients, and put its ID and secret into the OpenPanel credential.",
		};
	}
	if (status === 401) {
		return {
			message: `OpenPanel rejected the credentials (401${said(failure)})`,
			description: `Check Client ID and Client Secret: copy them again from OpenPanel's project settings → Clients, or create a new read client. ${CREDENTIAL_FIX}`,
		};
	}
	if (status === 403) {
		return {
			message: `OpenPanel refused access to ${thing} (403${said(failure)})`,
			description: 'A read client can only read its own project. Leave Project ID empty, set it to the client\'s project, or use a root client for other projects.',
		};
	}
	if (status === 404 && /^Route /.test(message)) {
		return {
			message: `This OpenPanel server has no such route (404${said(failure)})`,
			description: 'The server is older than this operation (self-hosted OpenPanel added the funnel and event-names routes in 2026), or Base URL misses the /api part of a self-hosted address.',
		};
	}
	if (status === 404) {
		return { message: `OpenPanel found no ${thing} (404${said(failure)})`, description: 'Check Project ID: the project must belong to the client\'s organization.' };
	}
	if (status === 400 && /project_?id/i.test(message)) {
		return {
			message: `OpenPanel needs a project for ${thing} (400${said(failure)})`,
			description: 'This is a root client, which has no project of its own: set Project ID in the node or in the OpenPanel credential.',
		};
	}
	if (status === 400) {
		return { message: `OpenPanel refused the request for ${thing} (400${said(failure)})`, description: 'Check the parameters named in the message.' };
	}
	if (status === 429) {
		return {
			message: `OpenPanel's rate limit was exceeded${tries(attempts)} (429${said(failure)})`,
			description: 'OpenPanel allows 100 requests per 10 seconds per client, shared by all workflows using it (10 on older servers). Run fewer requests at once, or try again later.',
		};
	}
	if (status >= 500) {
		return {
			message: `OpenPanel failed to answer ${thing} (HTTP ${status}${said(failure)})${tries(attempts)}`,
			description: 'OpenPanel had an internal error. With a root client this also happens when Project ID names no project of its organization; otherwise try again later.',
		};
	}
	return { message: `OpenPanel answered HTTP ${status}${said(failure)} for ${thing}`, description: 'Check the node parameters and the OpenPanel credential.' };
}
