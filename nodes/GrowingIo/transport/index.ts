import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { readNumberOption } from '../../../core/helpers/numberParameters';
import { normalizeApiToken, normalizeBaseUrl, normalizeProjectUid } from './auth';
import { failureToNodeError, withNodeErrors } from './errors';
import { paceForRate, pauseRequests, setRequestCancelSignal, setRequestPace } from '../../../core/transport/rateLimiter';
import { asksTooLongAWait, backoffDelay, describeThrown, type RequestFailure } from '../../../core/transport/retryPolicy';
import { describeResponse } from './errorBody';
import { DEFAULT_REQUESTS_PER_SECOND, projectLimiterKey } from './pace';
import { cancellableSleep, cancelSignalOf, throwIfCancelled } from '../../../core/transport/wait';

/**
 * The one door to GrowingIO. Operations describe what they want (path, query); this module owns
 * the credential, the shared rate limit, retries and turning failures into clear node errors.
 */

export const CREDENTIAL_TYPE = 'growingIoApi';

/** Every kind of node context that may call GrowingIO: operations, list searches, the trigger's polls. */
export type GrowingIoContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;
/** Contexts that run a node: an operation for one item, or one poll of the trigger. */
export type RunContext = IExecuteFunctions | IPollFunctions;

export interface GrowingIoRequest {
	method?: IHttpRequestMethods;
	/** Path on the GrowingIO host; `{projectUid}` and `{ai}` are filled in from the credential. */
	path: string;
	qs?: IDataObject;
	/** `json` (default) parses the body; `text` returns it as is (CSV endpoints). */
	responseFormat?: 'json' | 'text';
	/** What is being fetched, for error messages, e.g. `dashboard "YoX28w7R"`. */
	subject?: string;
	/** The item this request is for: its node Options apply and errors point at it. */
	itemIndex?: number;
}

export interface RequestSettings {
	requestsPerSecond: number;
	maxTries: number;
	timeoutMs: number;
}

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND,
	maxTries: 5,
	timeoutMs: 60000,
};

/** Options → Requests per Second, Max Tries and Timeout of the item (also used for raw-export downloads). */
export function readRequestSettings(context: GrowingIoContext, itemIndex: number | undefined): RequestSettings {
	if (itemIndex === undefined || !('getInputData' in context)) return DEFAULT_REQUEST_SETTINGS;
	const options = (context as IExecuteFunctions).getNodeParameter('options', itemIndex, {}) as IDataObject;
	const number = (name: keyof RequestSettings, min: number, max: number, label: string): number =>
		readNumberOption(context.getNode(), options, { name, label, fallback: DEFAULT_REQUEST_SETTINGS[name], min, max }, itemIndex);
	return {
		// GrowingIO allows 2 per second; users may go slower, never faster.
		requestsPerSecond: number('requestsPerSecond', 0.01, DEFAULT_REQUESTS_PER_SECOND, 'Requests per Second'),
		maxTries: Math.round(number('maxTries', 1, 10, 'Max Tries')),
		timeoutMs: number('timeoutMs', 100, 600000, 'Timeout (Milliseconds)'),
	};
}

/** The credential fields the transport itself needs (never the secrets). */
export async function getProjectSettings(
	this: GrowingIoContext,
	itemIndex?: number,
): Promise<{ baseUrl: string; projectUid: string; ai: string; keyPair: boolean }> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	// Checked here so a bad field is a clear error before any request is made.
	return withNodeErrors(this.getNode(), itemIndex, () => {
		const keyPair = credentials.authentication === 'keyPair';
		if (!keyPair) normalizeApiToken(credentials.apiToken);
		return {
			baseUrl: normalizeBaseUrl(credentials.baseUrl),
			projectUid: normalizeProjectUid(credentials.projectUid),
			ai: String(credentials.projectId ?? '').trim(),
			keyPair,
		};
	});
}

function fillPath(path: string, project: { projectUid: string; ai: string }, context: GrowingIoContext, itemIndex?: number): string {
	if (path.includes('{ai}') && !project.ai) {
		throw new NodeOperationError(context.getNode(), 'This operation needs the Project ID (ai) in the GrowingIO credential', {
			itemIndex,
			description: 'Copy the project ID (a 16- or 32-character hex string, also the SDK accountId) from GrowingIO\'s 项目配置 page into the credential\'s Project ID field.',
		});
	}
	return path
		.replace('{projectUid}', encodeURIComponent(project.projectUid))
		.replace('{ai}', encodeURIComponent(project.ai));
}

function parseBody(text: string, format: 'json' | 'text'): { ok: true; body: unknown } | { ok: false; failure: RequestFailure } {
	if (format === 'text') return { ok: true, body: text };
	try {
		return { ok: true, body: JSON.parse(text) };
	} catch {
		const html = /^\s*<(!doctype|html)/i.test(text);
		return {
			ok: false,
			failure: {
				kind: html ? 'html' : 'invalid_json',
				status: 200,
				errorCodes: [],
				detail: html ? (/<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim() ?? 'an HTML page') : undefined,
				// A cut-off or garbled answer is worth another try; it is not the caller's fault.
				retryable: true,
			},
		};
	}
}

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** Sends one GrowingIO API request through the shared limiter, with retries. */
export async function growingIoRequest(this: GrowingIoContext, request: GrowingIoRequest): Promise<unknown> {
	const { itemIndex } = request;
	const settings = readRequestSettings(this, itemIndex);
	const project = await getProjectSettings.call(this, itemIndex);
	const url = `${project.baseUrl}${fillPath(request.path, project, this, itemIndex)}`;
	const key = projectLimiterKey(project.baseUrl, project.projectUid);
	// Stop execution ends every wait below at once, and no request is sent after it.
	const signal = cancelSignalOf(this);

	const send = async (throwOnHttpErrors: boolean): Promise<FullResponse> => {
		throwIfCancelled(signal);
		const options: IHttpRequestOptions = {
			method: request.method ?? 'GET',
			url,
			qs: request.qs,
			// Parse ourselves: a malformed body must be detected and retried, not passed on as a string.
			encoding: 'text',
			returnFullResponse: true,
			// n8n's error for a non-2xx answer drops the body and headers; we need both.
			ignoreHttpStatusErrors: !throwOnHttpErrors,
			timeout: settings.timeoutMs,
			abortSignal: signal,
		};
		// The credential's authenticate hook waits for a slot at this pace before sending.
		setRequestPace(options, paceForRate(settings.requestsPerSecond));
		setRequestCancelSignal(options, signal);
		return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as FullResponse;
	};

	for (let attempt = 1; ; attempt++) {
		let failure: RequestFailure;
		try {
			let response = await send(false);
			if (response.statusCode === 401 && project.keyPair) {
				// The key-pair code expired or was replaced. n8n logs in again only when a request
				// throws a 401, so send this one once more in that mode.
				response = await send(true);
			}
			if (response.statusCode >= 200 && response.statusCode < 300) {
				const parsed = parseBody(String(response.body ?? ''), request.responseFormat ?? 'json');
				if (parsed.ok) return parsed.body;
				failure = parsed.failure;
			} else {
				failure = describeResponse(response.statusCode, response.headers, response.body);
			}
		} catch (error) {
			// Stopped while waiting for a slot or during the request: not a GrowingIO failure.
			throwIfCancelled(signal);
			failure = describeThrown(error);
		}

		// Waiting that long would stall every workflow on this project; the item fails instead
		// and nothing is paused, so the other callers find out from GrowingIO at once too.
		if (!failure.retryable || attempt >= settings.maxTries || asksTooLongAWait(failure)) {
			throw failureToNodeError(this.getNode(), failure, { itemIndex, attempts: attempt, subject: request.subject });
		}
		const delay = backoffDelay(attempt, failure.retryAfterMs);
		// A 429 means the project's budget is spent: hold back every caller, not just this one.
		if (failure.status === 429) pauseRequests(key, delay);
		await cancellableSleep(delay, signal);
	}
}
