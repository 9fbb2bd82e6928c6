import { NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestMethods, type IPollFunctions } from 'n8n-workflow';

import { readNumberOption } from '../../../core/helpers/numberParameters';
import { paceForRate } from '../../../core/transport/rateLimiter';
import { serviceRequest, type ServiceContext, type ServicePolicy } from '../../../core/transport/serviceRequest';
import { paceForWorkers } from '../../../core/transport/workersSharing';
import { normalizeApiToken, normalizeBaseUrl, normalizeProjectUid } from './auth';
import { parseGrowingIoErrorBody } from './errorBody';
import { explainFailure, withNodeErrors } from './errors';
import { DEFAULT_REQUESTS_PER_SECOND, projectLimiterKey } from './pace';

/**
 * The one door to GrowingIO. Operations describe what they want (path, query); this module owns
 * the credential, the shared rate limit, retries and turning failures into clear node errors.
 */

export const CREDENTIAL_TYPE = 'growingIoApi';

/** Every kind of node context that may call GrowingIO: operations, list searches, the trigger's polls. */
export type GrowingIoContext = ServiceContext;
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

/** GrowingIO's answers, errors and pacing: the credential waits for the slot, key-pair codes are renewed on a 401. */
const GROWINGIO_POLICY: ServicePolicy = {
	credentialType: CREDENTIAL_TYPE,
	readErrorBody: parseGrowingIoErrorBody,
	explain: explainFailure,
	// The credential's authenticate hook waits for the slot, so HTTP Request nodes using it are paced too.
	credentialPaces: true,
	refreshOn401: false,
};

/** Sends one GrowingIO API request through the shared limiter, with retries. */
export async function growingIoRequest(this: GrowingIoContext, request: GrowingIoRequest): Promise<unknown> {
	const { itemIndex } = request;
	const settings = readRequestSettings(this, itemIndex);
	const project = await getProjectSettings.call(this, itemIndex);
	const answer = await serviceRequest(this, { ...GROWINGIO_POLICY, refreshOn401: project.keyPair }, {
		method: request.method,
		url: `${project.baseUrl}${fillPath(request.path, project, this, itemIndex)}`,
		qs: request.qs,
		// Options → Workers Sharing This Project: this instance's part of the pace.
		limiter: { key: projectLimiterKey(project.baseUrl, project.projectUid), pace: paceForWorkers(this, paceForRate(settings.requestsPerSecond), 'Project', itemIndex) },
		maxTries: settings.maxTries,
		timeoutMs: settings.timeoutMs,
		responseFormat: request.responseFormat,
		itemIndex,
		subject: request.subject,
	});
	return answer.body;
}
