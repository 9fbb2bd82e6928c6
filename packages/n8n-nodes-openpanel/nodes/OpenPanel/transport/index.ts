import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { limiterKey, type Pace } from '../../../core/transport/rateLimiter';
import { serviceRequest, type ServiceContext, type ServicePolicy } from '../../../core/transport/serviceRequest';
import { paceForWorkers, workersSharingOption } from '../../../core/transport/workersSharing';
import { CredentialConfigError, normalizeBaseUrl, normalizeClientId, normalizeClientSecret } from './auth';
import { explainFailure, readOpenPanelErrorBody } from './errors';

/**
 * The one door to OpenPanel. Operations say which path and query they want; this module owns the
 * credential, the shared rate limit (100 requests per 10 s per client on export and insights,
 * one counter for both), retries, OpenPanel's query-string rules and its error wording.
 */

export const CREDENTIAL_TYPE = 'openPanelApi';

/** OpenPanel's limit on /export and /insights: 100 per 10 s per client ID. */
/**
 * OpenPanel's limit, kept 200 ms (2 %) wider: over a 10 s window the first request of a window
 * may reach OpenPanel later than it started here (network jitter to a remote server, a busy n8n).
 */
export const OPENPANEL_PACE: Pace = { limit: 100, windowMs: 10_000, marginMs: 200 };

/**
 * The limit a server announced in `x-ratelimit-limit`, per limiter key, when it is lower than
 * OpenPanel's documented 100 (older self-hosted servers allow 10 per 10 s).
 */
const announcedLimits = new Map<string, number>();

/** The pace for `key`: the documented limit, or the lower one the server announced. */
function paceOf(key: string): Pace {
	const announced = announcedLimits.get(key);
	return announced === undefined ? OPENPANEL_PACE : { ...OPENPANEL_PACE, limit: announced };
}

/** Remembers the server's announced limit for `key` when it is below the documented one. */
function noteAnnouncedLimit(key: string, headers: Record<string, unknown>): void {
	const limit = Number(headers['x-ratelimit-limit']);
	if (!Number.isInteger(limit) || limit < 1) return;
	if (limit < OPENPANEL_PACE.limit) announcedLimits.set(key, limit);
	else announcedLimits.delete(key);
}

/** The Options of the node and the trigger. */
export const openPanelOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		workersSharingOption({
			tenant: 'Client',
			effect:
				'Each then takes an equal whole part of the client\'s 100 requests per 10 s from the start (3 workers: 33 each, 99 in any 10 s together), so they never get a 429 from each other. With 1 (the default) each instance still slows down on its own after a 429 and speeds up again.',
		}),
	],
};

const MAX_TRIES = 5;
const TIMEOUT_MS = 60_000;

const OPENPANEL_POLICY: ServicePolicy = {
	credentialType: CREDENTIAL_TYPE,
	readErrorBody: readOpenPanelErrorBody,
	explain: explainFailure,
};

/** A query value: strings, numbers, booleans; lists of them become repeated keys; objects and object lists are sent as JSON. */
export type QueryValue = string | number | boolean | Array<string | number> | IDataObject | IDataObject[] | undefined;

/** What OpenPanel's query parser makes of a text: numbers, booleans and JSON are converted. */
function parsedByOpenPanel(text: string): boolean {
	if (text === 'true' || text === 'false') return true;
	if (text.trim() !== '' && !Number.isNaN(Number(text))) return true;
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * OpenPanel parses every query value as JSON before validating it, so a profile ID `12345` would
 * arrive as a number and be refused; such strings are sent JSON-quoted, which it reads back as
 * the string. Lists are repeated keys (older servers do not split commas).
 */
export function openPanelQuery(query: Record<string, QueryValue>): string {
	const params = new URLSearchParams();
	const text = (value: string) => (parsedByOpenPanel(value) ? JSON.stringify(value) : value);
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		if (typeof value === 'string') params.append(key, text(value));
		else if (typeof value === 'number' || typeof value === 'boolean') params.append(key, String(value));
		else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
			for (const v of value) params.append(key, typeof v === 'string' ? text(v) : String(v));
		} else params.append(key, JSON.stringify(value));
	}
	return params.toString();
}

export interface OpenPanelSettings {
	baseUrl: string;
	clientId: string;
	/** The credential's default project; empty for a read client that uses its own. */
	projectId: string;
}

/** The credential's fields, checked before any request (never returns the secret). */
export async function getOpenPanelSettings(context: ServiceContext, itemIndex?: number): Promise<OpenPanelSettings> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	let problem: string;
	try {
		normalizeClientSecret(credentials.clientSecret);
		return {
			baseUrl: normalizeBaseUrl(credentials.baseUrl),
			clientId: normalizeClientId(credentials.clientId),
			projectId: String(credentials.projectId ?? '').trim(),
		};
	} catch (error) {
		// Our own checks name the field and the fix; nothing else is thrown by them.
		problem = error instanceof CredentialConfigError ? error.message : 'The OpenPanel credential is not usable.';
	}
	// n8n's execution summary shows only the description, so it repeats the problem.
	throw new NodeOperationError(context.getNode(), problem, { itemIndex, description: `${problem} Open the OpenPanel credential used by this node, correct it and save it.` });
}

export interface OpenPanelRequest {
	/** Path under the Base URL, e.g. `/export/events`. */
	path: string;
	query?: Record<string, QueryValue>;
	itemIndex?: number;
	/** What is being fetched, for error messages, e.g. `the events of project "web"`. */
	subject?: string;
}

/** One GET to OpenPanel through the shared limiter, with retries; the parsed JSON body. */
export async function openPanelRequest(context: ServiceContext, request: OpenPanelRequest): Promise<unknown> {
	const settings = await getOpenPanelSettings(context, request.itemIndex);
	const query = request.query ? openPanelQuery(request.query) : '';
	const key = limiterKey('openpanel', new URL(settings.baseUrl).origin, settings.clientId.toLowerCase());
	const answer = await serviceRequest(context, OPENPANEL_POLICY, {
		method: 'GET',
		url: `${settings.baseUrl}${request.path}${query ? `?${query}` : ''}`,
		// Options → Workers Sharing This Client: this instance's part of the client's limit.
		limiter: { key, pace: paceForWorkers(context, paceOf(key), 'Client', request.itemIndex) },
		maxTries: MAX_TRIES,
		timeoutMs: TIMEOUT_MS,
		itemIndex: request.itemIndex,
		subject: request.subject,
	});
	noteAnnouncedLimit(key, answer.headers ?? {});
	return answer.body;
}
