import { NodeOperationError, type INode, type NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../../../core/actions/nodeErrors';
import { TimeRangeError } from '../../../core/helpers/timeRange';
import { CredentialConfigError } from './auth';
import { afterTries, credentialProblem, explainTransportFailure, saidBy, type TransportFailureHints } from '../../../core/transport/failureTexts';
import { asksTooLongAWait, MAX_RETRY_AFTER_MS, type RequestFailure } from '../../../core/transport/retryPolicy';
import type { Explanation, FailureContext } from '../../../core/transport/serviceRequest';

/** `86400 s (24 h)`: seconds as GrowingIO gave them, plus minutes or hours when that is long. */
function waitLength(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds >= 7200) return `${seconds} s (${Math.round(seconds / 3600)} h)`;
	if (seconds >= 120) return `${seconds} s (${Math.round(seconds / 60)} min)`;
	return `${seconds} s`;
}

const GROWINGIO_HINTS: TransportFailureHints = {
	service: 'GrowingIO',
	timeout: 'Raise Options → Timeout (Milliseconds), use a shorter time range, or try again later. Heavy charts are better fetched with the v3 exporter.',
	unreachable: 'Check the Base URL in the GrowingIO credential and that this n8n instance can reach it.',
	html: 'A proxy or gateway between n8n and GrowingIO answered instead of the API. Try again later, and check that the Base URL is the API host (e.g. https://www.growingio.com).',
};

/** A final failure in GrowingIO's words: message = what happened; description = what to do about it. */
export function explainFailure(failure: RequestFailure, { attempts, subject }: FailureContext): Explanation {
	const thing = subject ?? 'the requested data';
	const transport = explainTransportFailure(failure, attempts, GROWINGIO_HINTS);
	if (transport) return transport;
	const status = failure.status ?? 0;
	if (status === 401) {
		return {
			message: `GrowingIO rejected the credentials (401 Unauthorized${saidBy(failure)})`,
			description:
				'The API Token was deleted, mistyped or belongs to another project. Create a new one under 项目配置 → API Token 管理 and paste it into the GrowingIO credential. With Key Pair, check both keys.',
		};
	}
	if (status === 403) {
		return {
			message: `GrowingIO refused access to ${thing} (403 Forbidden${saidBy(failure)})`,
			description: 'The token has no access to this project or feature. Check the Project UID and the token\'s project.',
		};
	}
	if (status === 404) {
		return {
			message: `GrowingIO could not find ${thing} (404${saidBy(failure)})`,
			description: `Check the ID (copy it from the GrowingIO URL) and that the Project UID in the credential is the project it belongs to.${
				subject && /"[^"]+"/.test(subject) ? ' An ID of another kind is not found either: use each ID with its own resource (e.g. a funnel ID with Funnel → Get Data, not Chart).' : ''
			}`,
		};
	}
	if (asksTooLongAWait(failure)) {
		return {
			message: `GrowingIO asked to wait ${waitLength(failure.retryAfterMs ?? 0)} before the next request (429 Too Many Requests${saidBy(failure)})`,
			description: `This node waits at most ${MAX_RETRY_AFTER_MS / 1000} s for GrowingIO's rate limit, so it stopped here instead of holding back every workflow on this project. The project's request budget is used up for now, perhaps by another workflow or a script: run the workflow again after that time, lower Options → Requests per Second, or run the workflows at different times.`,
		};
	}
	if (status === 429) {
		return {
			message: `GrowingIO kept answering 429 Too Many Requests${afterTries(attempts)}${saidBy(failure)}`,
			description:
				'Something else is using this project\'s 2 requests per second too (another workflow on another n8n instance or queue-mode worker, or a script). With several workers, set Options → Workers Sharing This Project to their number; otherwise lower Options → Requests per Second, raise Options → Max Tries, or run the workflows at different times.',
		};
	}
	if (status >= 500) {
		const timedOut = failure.errorCodes.includes('request_timeout');
		return {
			message: `GrowingIO failed to answer${afterTries(attempts)} (HTTP ${status}${saidBy(failure)})`,
			description: timedOut
				? 'GrowingIO stops queries after 5 seconds. Use a shorter time range or a coarser interval, or fetch heavy charts with the v3 exporter.'
				: 'GrowingIO has a temporary problem. Try again later, or raise Options → Max Tries.',
		};
	}
	return {
		message: `GrowingIO rejected the request for ${thing} (HTTP ${status}${saidBy(failure)})`,
		description: 'Check the node\'s parameters against the message above.',
	};
}

/**
 * The one place where an error thrown inside the node becomes the node error n8n shows: the
 * helpers' own TimeRangeError (naming its parameter) and CredentialConfigError (naming the
 * credential field) get their what-to-do text; node errors pass on with the item they are for;
 * anything else is wrapped, keeping its message.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof TimeRangeError) {
		const message = error.message.startsWith(error.parameter) ? error.message : `${error.parameter}: ${error.message}`;
		return new NodeOperationError(node, message, { itemIndex, description: error.hint });
	}
	if (error instanceof CredentialConfigError) {
		const { message, description } = credentialProblem('GrowingIO', error.message);
		return new NodeOperationError(node, message, { itemIndex, description });
	}
	return asNodeError(node, error, itemIndex);
}

/** Runs `read` (parameter checks, credential fields); whatever it throws comes out as toNodeError made it. */
export function withNodeErrors<T>(node: INode, itemIndex: number | undefined, read: () => T): T {
	try {
		return read();
	} catch (error) {
		throw toNodeError(node, error, itemIndex);
	}
}
