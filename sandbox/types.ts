/** Types shared by the sandbox modules; server.ts re-exports the public ones. */

export interface SandboxProject {
	uid: string;
	ai: string;
	publicKey: string;
	privateKey: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Milliseconds, high resolution: performance.timeOrigin + performance.now() at arrival. */
	arrivedAt: number;
	/** 0 while unanswered, and for connections reset without a response. */
	status: number;
	countsTowardLimit: boolean;
	hadAuthorization: boolean;
	/** What the Authorization header matched exactly (a bare API token or a key-pair code), once checked. */
	authorizedWith?: 'apiToken' | 'keyPairCode';
	fault?: string;
}

/** What a GrowingIO endpoint answers, before it is written to the socket. */
export type ApiResult =
	| { status: number; json: unknown; headers?: Record<string, string> }
	| { status: number; text: string; contentType: string; headers?: Record<string, string> };

export interface GrowingIoErrorBody {
	message: string;
	errors: Array<{ code: string; message: string }>;
}

export function errorResult(status: number, message: string, code?: string, detail?: string): ApiResult {
	const body: GrowingIoErrorBody = { message, errors: code ? [{ code, message: detail ?? message }] : [] };
	return { status, json: body };
}

export function badRequest(detail: string): ApiResult {
	return errorResult(400, detail, 'bad_request', detail);
}

export function notFound(detail: string): ApiResult {
	return errorResult(404, 'Not Found', 'not_found', detail);
}

export const UNAUTHORIZED: ApiResult = errorResult(401, 'Unauthorized');
