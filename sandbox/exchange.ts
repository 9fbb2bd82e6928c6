/**
 * One request/response pair. All answers go through here so the recorded status is set the
 * moment headers are written, before the client can see them.
 */
import type { IncomingMessage, ServerResponse } from 'http';

import type { ApiResult, RecordedRequest } from './types';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export class Exchange {
	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly url: URL,
		readonly record?: RecordedRequest,
	) {}

	get closed(): boolean {
		return this.res.destroyed || this.res.writableEnded;
	}

	/** Writes status and headers only; for streamed bodies. */
	head(status: number, headers: Record<string, string | number>): void {
		if (this.record) this.record.status = status;
		this.res.writeHead(status, headers);
	}

	send(status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
		if (this.closed) return;
		const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
		this.head(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
		this.res.end(this.req.method === 'HEAD' ? undefined : bytes);
	}

	json(status: number, body: unknown, headers: Record<string, string> = {}): void {
		this.send(status, JSON_CONTENT_TYPE, JSON.stringify(body), headers);
	}

	result(result: ApiResult): void {
		if ('json' in result) this.json(result.status, result.json, result.headers);
		else this.send(result.status, result.contentType, result.text, result.headers);
	}

	/** Drops the connection without any response, like a proxy resetting it. */
	reset(): void {
		if (this.record) this.record.status = 0;
		this.req.socket.destroy();
	}
}

/** Reads the whole body as UTF-8; GrowingIO's login body is a few hundred bytes. */
export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limitBytes) throw new Error('request body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}
