import type { RunContext } from './index';

/**
 * Downloads from raw-export links. The links are presigned storage URLs (S3 or alike), not
 * GrowingIO's API: they are fetched with the plain request helper, never with the credential, so
 * the GrowingIO token never leaves GrowingIO's host (storage also refuses a request that carries
 * an Authorization header next to the signature). No rate limit applies here.
 */

/** The storage refused the link or could not be reached; fresh links usually help. */
export class StorageDownloadError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'StorageDownloadError';
	}
}

/** The body ended or broke before Content-Length bytes arrived (GrowingIO's integrity check). */
export class IncompleteDownloadError extends Error {
	constructor(
		readonly received: number,
		readonly expected: number,
	) {
		super(`received ${received} of ${expected} bytes`);
		this.name = 'IncompleteDownloadError';
	}
}

/** Counts bytes and fails the stream at its end unless exactly Content-Length bytes came. */
function lengthCheck(expected: number | undefined, counter: { received: number }): TransformStream<Uint8Array, Uint8Array> {
	return new TransformStream({
		transform(chunk, controller) {
			counter.received += chunk.byteLength;
			controller.enqueue(chunk);
		},
		flush() {
			if (expected !== undefined && counter.received !== expected) throw new IncompleteDownloadError(counter.received, expected);
		},
	});
}

export interface StorageDownload {
	/** The response body; it errors (IncompleteDownloadError, a reset …) instead of ending short. */
	body: ReadableStream<Uint8Array>;
	/** Content-Length, when the storage sent one. */
	contentLength?: number;
	/** Bytes received so far. */
	received(): number;
	/** Ends the connection, also while `body` is being read. */
	close(): void;
}

/**
 * A network error code in words. n8n replaces any error message that contains a code such as
 * ECONNRESET with a generic text, which would hide which file failed and why.
 */
export function networkProblem(code: unknown): string {
	const words: Record<string, string> = {
		ECONNRESET: 'connection reset',
		ECONNREFUSED: 'connection refused',
		ECONNABORTED: 'connection aborted',
		ETIMEDOUT: 'timed out',
		ESOCKETTIMEDOUT: 'timed out',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'host name lookup failed',
		EHOSTUNREACH: 'host unreachable',
		EPIPE: 'connection closed',
		ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
	};
	return typeof code === 'string' ? (words[code] ?? code.toLowerCase().replace(/_/g, ' ')) : 'network failure';
}

/** The request helper's stream: a Node stream, read here only as an async iterable. */
interface ResponseStream extends AsyncIterable<Uint8Array> {
	destroy(): void;
}

interface StreamResponse {
	body: ResponseStream;
	headers: Record<string, unknown>;
	statusCode: number;
}

async function readSome(body: ResponseStream, limit = 4096): Promise<string> {
	let text = '';
	try {
		for await (const chunk of body) {
			text += String(chunk);
			if (text.length >= limit) break;
		}
	} catch {
		// The error page is only for the message.
	}
	body.destroy();
	return text.slice(0, limit);
}

/** S3-style `<Error><Code>…</Code><Message>…</Message></Error>`, or the first words of the body. */
function storageErrorText(body: string): string {
	const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
	const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
	if (code || message) return [code, message].filter(Boolean).join(': ');
	return body.replace(/\s+/g, ' ').trim().slice(0, 120);
}

function contentLengthOf(headers: Record<string, unknown>): number | undefined {
	const value = headers['content-length'];
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : typeof text === 'number' ? text : undefined;
}

/**
 * Opens a download as a stream. Errors never include the URL: its signature grants access to
 * the file until the link expires.
 */
export async function openStorageDownload(this: RunContext, url: string, options: { timeoutMs: number }): Promise<StorageDownload> {
	let response: StreamResponse | undefined;
	let connectionCode: unknown;
	try {
		response = (await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: options.timeoutMs,
			// The bytes must arrive as stored, so they can be counted against Content-Length.
			headers: { 'Accept-Encoding': 'identity' },
			// A stopped execution stops its downloads; polls have no such signal.
			abortSignal: 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined,
		})) as StreamResponse;
	} catch (error) {
		connectionCode = (error as { code?: unknown }).code;
	}
	if (!response) throw new StorageDownloadError(`could not connect to the storage host (${networkProblem(connectionCode)})`);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		const said = storageErrorText(await readSome(response.body));
		throw new StorageDownloadError(`the storage host answered HTTP ${response.statusCode}${said ? ` (${said})` : ''}`, response.statusCode);
	}
	const source = response.body;
	const contentLength = contentLengthOf(response.headers);
	const counter = { received: 0 };
	// Pulled chunk by chunk: the response is read only as fast as the consumer takes it.
	const body = ReadableStream.from(source).pipeThrough(lengthCheck(contentLength, counter));
	return { body, contentLength, received: () => counter.received, close: () => source.destroy() };
}
