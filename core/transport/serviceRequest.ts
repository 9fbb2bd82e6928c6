import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { getRequestStartedAt, requestAccepted, requestThrottled, setRequestCancelSignal, setRequestPace, waitForRequestSlot, type Pace } from './rateLimiter';
import { asksTooLongAWait, backoffDelay, describeThrown, htmlTitle, isHtml, statusFailure, type ErrorBodySaid, type RequestFailure } from './retryPolicy';
import { cancellableSleep, cancelSignalOf, throwIfCancelled } from './wait';

/**
 * The request loop every service's one door runs on: the shared limiter, the credential, retries
 * with backoff and Retry-After, a stopped execution ending every wait, and failures turned into
 * node errors in the service's own words. The service gives its policy; operations never see HTTP.
 */

/** Every kind of node context that may call a service: operations, list searches, triggers' polls. */
export type ServiceContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** What a failed request was for, in the user's words, e.g. `dashboard "YoX28w7R"`. */
export interface FailureContext {
	itemIndex?: number;
	attempts: number;
	subject?: string;
}

/** Message = what happened; description = what to do about it (n8n's UX guidelines). */
export interface Explanation {
	message: string;
	description: string;
}

export interface ServicePolicy {
	/** The n8n credential type whose `authenticate` signs the request. */
	credentialType: string;
	/** Reads the service's error answer: its body (JSON shape, or text) and headers. */
	readErrorBody: (body: unknown, headers: Record<string, unknown>) => ErrorBodySaid;
	/** The final failure in the service's words. */
	explain: (failure: RequestFailure, context: FailureContext) => Explanation;
	/**
	 * Whether the credential's authenticate hook waits for the limiter slot (so that n8n's HTTP
	 * Request node using the credential is paced too); otherwise this loop waits before sending.
	 */
	credentialPaces?: boolean;
	/**
	 * Whether a 401 is sent once more so that n8n refreshes the credential's expirable token: n8n
	 * runs preAuthentication again only when a request throws a 401.
	 */
	refreshOn401?: boolean;
}

export interface ServiceCall {
	method?: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	headers?: IDataObject;
	/** The limiter key (service, origin, tenant) and this call's pace. */
	limiter: { key: string; pace: Pace };
	maxTries: number;
	timeoutMs: number;
	/** `json` (default) parses the body; `text` returns it as is (CSV endpoints). */
	responseFormat?: 'json' | 'text';
	itemIndex?: number;
	subject?: string;
}

export interface ServiceAnswer {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** Sends `call` with the policy's credential until it succeeds, fails for good, or the execution stops. */
export async function serviceRequest(context: ServiceContext, policy: ServicePolicy, call: ServiceCall): Promise<ServiceAnswer> {
	const signal = cancelSignalOf(context);
	const { key, pace } = call.limiter;

	// When the last request left.
	let sentAt = 0;
	const send = async (throwOnHttpErrors: boolean): Promise<ServiceAnswer> => {
		throwIfCancelled(signal);
		const options: IHttpRequestOptions = {
			method: call.method ?? 'GET',
			url: call.url,
			...(call.qs ? { qs: call.qs } : {}),
			...(call.headers ? { headers: call.headers } : {}),
			// Parse here: a malformed body must be detected and retried, not passed on as a string.
			encoding: 'text',
			returnFullResponse: true,
			// n8n's error for a non-2xx answer drops the body and headers; both are needed.
			ignoreHttpStatusErrors: !throwOnHttpErrors,
			timeout: call.timeoutMs,
			abortSignal: signal,
		};
		if (policy.credentialPaces) {
			setRequestPace(options, pace);
			setRequestCancelSignal(options, signal);
		} else {
			await waitForRequestSlot(key, pace, signal);
		}
		const askedAt = Date.now();
		try {
			return (await context.helpers.httpRequestWithAuthentication.call(context, policy.credentialType, options)) as ServiceAnswer;
		} finally {
			// When the credential waited for the slot, it marked when the request really left.
			sentAt = getRequestStartedAt(options) ?? askedAt;
		}
	};

	for (let attempt = 1; ; attempt++) {
		let failure: RequestFailure;
		try {
			let answer = await send(false);
			// Any answer but a 429 says the budget had room: the pace may recover.
			if (answer.statusCode !== 429) requestAccepted(key, pace);
			if (answer.statusCode === 401 && policy.refreshOn401) {
				// Refused again after the renewal: the first answer says why (n8n's error keeps no body).
				const refused = answer;
				answer = await send(true).catch(async (error: unknown) => (describeThrown(error).status === 401 ? refused : await Promise.reject(error)));
			}
			if (answer.statusCode >= 200 && answer.statusCode < 300) {
				const parsed = parseBody(String(answer.body ?? ''), call.responseFormat ?? 'json');
				if (parsed.ok) return { ...answer, body: parsed.body };
				failure = parsed.failure;
			} else {
				failure = statusFailure(answer.statusCode, answer.headers, policy.readErrorBody(answer.body, answer.headers ?? {}), isHtml(answer.body));
			}
		} catch (error) {
			// Stopped while waiting for a slot or during the request: not the service's failure.
			throwIfCancelled(signal);
			failure = describeThrown(error);
		}

		// Waiting that long would stall every workflow on this account; the item fails instead and
		// nothing is paused, so the other callers find out from the service at once too.
		if (!failure.retryable || attempt >= call.maxTries || asksTooLongAWait(failure)) {
			// The item gives up, but the budget is spent for the others too: slow down and hold them
			// back (not for a wait that long, which pauses nothing).
			if (failure.status === 429 && !asksTooLongAWait(failure)) requestThrottled(key, pace, sentAt, backoffDelay(attempt, failure.retryAfterMs));
			throw failureToNodeError(context.getNode(), failure, policy.explain(failure, { itemIndex: call.itemIndex, attempts: attempt, subject: call.subject }), call.itemIndex);
		}
		const delay = backoffDelay(attempt, failure.retryAfterMs);
		// A 429 means the account's budget is spent: hold back every caller, not just this one, and
		// slow this instance down (others, e.g. queue-mode workers, share the budget).
		if (failure.status === 429) requestThrottled(key, pace, sentAt, delay);
		await cancellableSleep(delay, signal);
	}
}

function parseBody(text: string, format: 'json' | 'text'): { ok: true; body: unknown } | { ok: false; failure: RequestFailure } {
	if (format === 'text') return { ok: true, body: text };
	try {
		return { ok: true, body: JSON.parse(text) };
	} catch {
		const html = isHtml(text);
		return {
			ok: false,
			failure: {
				kind: html ? 'html' : 'invalid_json',
				status: 200,
				errorCodes: [],
				detail: html ? htmlTitle(text) : undefined,
				// A cut-off or garbled answer is worth another try; it is not the caller's fault.
				retryable: true,
			},
		};
	}
}

/** The node error for a final failure: secret-free, with the service's status and codes kept. */
function failureToNodeError(node: INode, failure: RequestFailure, { message, description }: Explanation, itemIndex?: number): NodeApiError | NodeOperationError {
	if (failure.kind === 'credentials') return new NodeOperationError(node, message, { description, itemIndex });
	// A plain object: n8n keeps errorResponse with the execution.
	const errorResponse: JsonObject = {
		status: failure.status ?? null,
		message: failure.message ?? null,
		errors: failure.errorCodes,
		detail: failure.detail ?? null,
	};
	return new NodeApiError(node, errorResponse, { message, description, httpCode: failure.status ? String(failure.status) : undefined, itemIndex });
}
