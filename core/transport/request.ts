import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { cancelSignalOf, throwIfCancelled } from './wait';

/** Every kind of node context that may call a service: operations, list searches, triggers' polls. */
export type ServiceContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ServiceRequest {
	/** The n8n credential type whose `authenticate` signs the request. */
	credentialType: string;
	/** The service's display name, for error messages. */
	service: string;
	/** Base URL from the credential; a trailing slash is dropped. */
	baseUrl: string;
	/** Path on that host, starting with `/`. */
	path: string;
	qs?: IDataObject;
	/** The item this request is for: errors point at it. */
	itemIndex?: number;
	timeoutMs?: number;
}

/**
 * GET a JSON answer with the node's credential. The only HTTP call a service's operations reach:
 * the credential signs it, a stopped execution cancels it, and a failure becomes a node error
 * that names the service and the HTTP status, never the credential.
 */
export async function getJson(context: ServiceContext, request: ServiceRequest): Promise<unknown> {
	const signal = cancelSignalOf(context);
	throwIfCancelled(signal);
	const base = request.baseUrl.trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(base)) {
		throw new NodeOperationError(context.getNode(), `The ${request.service} credential's Base URL "${base}" is not an http(s) URL`, {
			itemIndex: request.itemIndex,
			description: `Open the ${request.service} credential and set Base URL to the address of the API, e.g. https://api.example.com.`,
		});
	}
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: `${base}${request.path}`,
		qs: request.qs,
		json: true,
		timeout: request.timeoutMs ?? 60000,
		abortSignal: signal,
	};
	try {
		return await context.helpers.httpRequestWithAuthentication.call(context, request.credentialType, options);
	} catch (error) {
		throwIfCancelled(signal);
		// A fresh error: n8n's own one carries the request it failed on, and re-wrapping keeps its texts.
		const failure = error as { httpCode?: string | null; message?: string; description?: unknown };
		const code = failure.httpCode ? String(failure.httpCode) : undefined;
		const check = `Check the ${request.service} credential (Base URL and keys) and that the service is reachable from n8n.`;
		const httpCode = code && /^\d{3}$/.test(code) ? code : undefined;
		let message: string;
		let description: string;
		if (httpCode) {
			message = `${request.service} refused GET ${request.path} (HTTP ${httpCode})`;
			description = typeof failure.description === 'string' && failure.description !== '' ? `${request.service} says: ${failure.description}. ${check}` : check;
		} else if (code) {
			// n8n replaces the message of an error whose code or text is a connection error code, so the code goes in the description only.
			message = `${request.service} could not be reached for GET ${request.path}`;
			description = `The connection failed with ${code}. ${check}`;
		} else {
			// No HTTP answer and no connection error: the credential's own step failed (e.g. a login), and its message says why.
			message = failure.message || `${request.service} GET ${request.path} failed`;
			description = check;
		}
		throw new NodeApiError(context.getNode(), { message } as JsonObject, { itemIndex: request.itemIndex, message, description, httpCode });
	}
}
