import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { readNumberOption } from '../../../core/helpers/numberParameters';
import { limiterKey, paceForRate } from '../../../core/transport/rateLimiter';
import { serviceRequest, type ServiceContext, type ServicePolicy } from '../../../core/transport/serviceRequest';
import { explainTransportFailure, type TransportFailureHints } from '../../../core/transport/failureTexts';
import { paceForWorkers } from '../../../core/transport/workersSharing';
import type { ErrorBodySaid, RequestFailure } from '../../../core/transport/retryPolicy';
import { normalizeBaseUrl } from './session';

/**
 * The one door to SaferMe. Operations say what they want (path, query, range); this module owns
 * the credential, the pace, retries, Range paging and errors in SaferMe's words.
 */

export const CREDENTIAL_TYPE = 'saferMeApi';

/**
 * SaferMe documents no rate limit; 5 requests per second per team is a polite default that
 * Options → Requests per Second changes.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 5;
const MAX_REQUESTS_PER_SECOND = 50;
/** SaferMe's largest page (its default is 60). */
export const PAGE_SIZE = 100;

export interface SaferMeRequest {
	path: string;
	qs?: IDataObject;
	/** `objects=<first>-<last>` for list endpoints. */
	range?: { first: number; last: number };
	/** What is being fetched, for error messages, e.g. `channel 101`. */
	subject?: string;
	itemIndex?: number;
}

interface Settings {
	requestsPerSecond: number;
	maxTries: number;
	timeoutMs: number;
}

function readSettings(context: ServiceContext, itemIndex: number | undefined): Settings {
	const fallback = { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND, maxTries: 4, timeoutMs: 60000 };
	if (itemIndex === undefined || !('getInputData' in context)) return fallback;
	const options = (context as IExecuteFunctions).getNodeParameter('options', itemIndex, {}) as IDataObject;
	const number = (name: keyof Settings, min: number, max: number, label: string) =>
		readNumberOption(context.getNode(), options, { name, label, fallback: fallback[name], min, max }, itemIndex);
	return {
		requestsPerSecond: number('requestsPerSecond', 0.1, MAX_REQUESTS_PER_SECOND, 'Requests per Second'),
		maxTries: Math.round(number('maxTries', 1, 10, 'Max Tries')),
		timeoutMs: number('timeoutMs', 100, 600000, 'Timeout (Milliseconds)'),
	};
}

/**
 * SaferMe's error answers: `{errors: [...], error_codes: [...]}`, or `{message, param}` for a 422,
 * whose reason is in the X-Status-Reason header (quoted instead of the body's message when sent).
 */
export function readSaferMeErrorBody(body: unknown, headers: Record<string, unknown> = {}): ErrorBodySaid {
	const said = readBody(body);
	const reason = headers['x-status-reason'];
	return typeof reason === 'string' && reason.trim() ? { ...said, message: reason.trim() } : said;
}

function readBody(body: unknown): ErrorBodySaid {
	let parsed: unknown = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return { errorCodes: [], message: body.trim().slice(0, 200) || undefined };
		}
	}
	const b = (parsed ?? {}) as { errors?: unknown; error_codes?: unknown; message?: unknown; param?: unknown };
	const errors = Array.isArray(b.errors) ? b.errors.map(String) : [];
	const message = errors.length ? errors.join('; ') : typeof b.message === 'string' ? b.message : undefined;
	return { message, errorCodes: Array.isArray(b.error_codes) ? b.error_codes.map(String) : [], detail: typeof b.param === 'string' ? `parameter ${b.param}` : undefined };
}

const SAFERME_HINTS: TransportFailureHints = {
	service: 'SaferMe',
	timeout: 'Raise Options → Timeout (Milliseconds), use a shorter time range, or try again later.',
	unreachable: 'Check Base URL in the SaferMe credential (e.g. https://api.safer.me) and that this n8n instance can reach it.',
	html: 'A proxy or gateway answered instead of the API. Try again later, and check that the Base URL is the API host (e.g. https://api.safer.me).',
};

function explain(failure: RequestFailure, subject: string | undefined, attempts: number) {
	const what = subject ? ` for ${subject}` : '';
	const said = failure.message;
	const saying = said ? `: ${said}` : '';
	switch (failure.status) {
		case 401:
			return {
				message: `SaferMe refused the access token (HTTP 401)${saying}`,
				description: 'Check Email and Password (or paste a fresh Access Token) in the SaferMe credential.',
			};
		case 403:
			return {
				message: `SaferMe refused access${what} (HTTP 403)${saying}`,
				description: 'Check Team ID and App ID in the SaferMe credential: the user must be a member of that team.',
			};
		case 404:
			return { message: `SaferMe found nothing${what} (HTTP 404)${saying}`, description: 'Check the ID; pick it from the list instead.' };
		case 416:
		case 422:
		case 400:
			return { message: `SaferMe refused the request${what} (HTTP ${failure.status})${saying}`, description: 'Check the parameters the message names.' };
	}
	const transport = explainTransportFailure(failure, attempts, SAFERME_HINTS);
	if (transport) return transport;
	return {
		message: `SaferMe did not answer${what}${failure.status ? ` (HTTP ${failure.status})` : failure.detail ? ` (${failure.detail})` : ''}${saying}`,
		description: 'SaferMe may be busy or down; the request was tried again and gave up. Try later, or raise Options → Max Tries.',
	};
}

async function teamOf(context: ServiceContext, itemIndex?: number): Promise<{ baseUrl: string; teamId: string }> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	try {
		const teamId = String(credentials.teamId ?? '').trim();
		if (!/^\d+$/.test(teamId)) throw new Error(`Team ID "${teamId}" in the SaferMe credential is not a number: use the id from Team → Get Many`);
		return { baseUrl: normalizeBaseUrl(credentials.baseUrl), teamId };
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex, description: 'Fix the SaferMe credential.' });
	}
}

/** The team ID of the credential (for paths such as /teams/:id/team_users). */
export async function credentialTeamId(context: ServiceContext, itemIndex?: number): Promise<string> {
	return (await teamOf(context, itemIndex)).teamId;
}

/** GET a SaferMe path through the shared request loop, with the credential's team. */
export async function saferMeRequest(context: ServiceContext, request: SaferMeRequest): Promise<{ body: unknown; contentRange?: string }> {
	const { baseUrl, teamId } = await teamOf(context, request.itemIndex);
	const settings = readSettings(context, request.itemIndex);
	const policy: ServicePolicy = {
		credentialType: CREDENTIAL_TYPE,
		refreshOn401: true,
		readErrorBody: readSaferMeErrorBody,
		explain: (failure, { subject, attempts }) => explain(failure, subject, attempts),
	};
	const answer = await serviceRequest(context, policy, {
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		headers: request.range ? { Range: `objects=${request.range.first}-${request.range.last}` } : undefined,
		limiter: { key: limiterKey('saferme', new URL(baseUrl).origin, teamId), pace: paceForWorkers(context, paceForRate(settings.requestsPerSecond), 'Team', request.itemIndex) },
		maxTries: settings.maxTries,
		timeoutMs: settings.timeoutMs,
		itemIndex: request.itemIndex,
		subject: request.subject,
	});
	const contentRange = answer.headers['content-range'];
	return { body: answer.body, contentRange: typeof contentRange === 'string' ? contentRange : undefined };
}

/** `channels 0-99/1330` → 1330; `*` or no header → undefined. */
export function totalOf(contentRange: string | undefined): number | undefined {
	const total = /\/(\d+)\s*$/.exec(contentRange ?? '')?.[1];
	return total === undefined ? undefined : Number(total);
}

/** Every object of a list endpoint, page by page with Range, up to `limit`. */
export async function saferMeList(context: ServiceContext, request: Omit<SaferMeRequest, 'range'>, limit?: number): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	for (;;) {
		const first = rows.length;
		const wanted = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - first);
		const { body, contentRange } = await saferMeRequest(context, { ...request, range: { first, last: first + wanted - 1 } });
		if (!Array.isArray(body)) {
			throw new NodeOperationError(context.getNode(), `SaferMe answered ${request.path} without a list`, {
				itemIndex: request.itemIndex,
				description: 'Check that Base URL points at the SaferMe API, e.g. https://api.safer.me.',
			});
		}
		rows.push(...(body as IDataObject[]));
		const total = totalOf(contentRange);
		// The server may send fewer than asked (its own page maximum): go on from what came.
		const done = body.length === 0 || (limit !== undefined && rows.length >= limit) || (total !== undefined ? rows.length >= total : body.length < wanted);
		if (done) return limit === undefined ? rows : rows.slice(0, limit);
	}
}
