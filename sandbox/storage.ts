/**
 * The "S3" side of the sandbox: presigned download links (`?expires=<ms>&sign=<hmac>`) that
 * refuse any Authorization header, as presigned S3 URLs do. Small objects are gzipped in
 * memory; large ones are generated on the fly as gzip with stored (uncompressed) deflate
 * blocks, so their exact Content-Length follows from the CSV's byte length up front.
 */
import { createHmac, randomBytes } from 'crypto';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { crc32, gzipSync } from 'zlib';

import { safeEqual } from './auth';
import type { Exchange } from './exchange';

/** Objects up to this many rows are built in memory; bigger ones stream. */
export const IN_MEMORY_ROW_LIMIT = 50_000;

export type StorageObject =
	| { contentType: string; body: Buffer }
	/** Sent as gzip with stored blocks; `rawLength` is the exact byte count `rawChunks` yields. */
	| { contentType: string; rawLength: number; rawChunks: () => Iterable<Buffer> };

export type StorageRefusal = { status: 403; code: string; message: string };

export class StorageSigner {
	private readonly secret = randomBytes(32);

	private sign(path: string, expiresAt: number): string {
		return createHmac('sha256', this.secret).update(`${path}\n${expiresAt}`).digest('hex');
	}

	/** A presigned path plus query, valid until `expiresAt` (ms). */
	presign(path: string, expiresAt: number): string {
		return `${path}?expires=${expiresAt}&sign=${this.sign(path, expiresAt)}`;
	}

	/** Why a download must be refused, or undefined when it may go ahead. */
	check(path: string, query: URLSearchParams, hasAuthorization: boolean, now: number): StorageRefusal | undefined {
		if (hasAuthorization) {
			return {
				status: 403,
				code: 'InvalidArgument',
				message: 'Only one auth mechanism allowed; only the signature query string parameter or the Authorization header should be specified',
			};
		}
		const expires = query.get('expires') ?? '';
		const sign = query.get('sign') ?? '';
		if (!/^\d{1,15}$/.test(expires) || !sign || !safeEqual(sign, this.sign(path, Number(expires)))) {
			return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided' };
		}
		if (now > Number(expires)) return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
		return undefined;
	}
}

export function sendStorageError(exchange: Exchange, status: number, code: string, message: string): void {
	const requestId = randomBytes(8).toString('hex').toUpperCase();
	const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
	exchange.send(status, 'application/xml', body);
}

/** Gzip of a small object, built in memory. */
export function gzipText(text: string): Buffer {
	return gzipSync(Buffer.from(text, 'utf8'));
}

/** Deflate stored blocks hold at most 65,535 bytes each. */
const STORED_BLOCK = 65_535;
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

function storedBlockHeader(length: number, final: boolean): Buffer {
	const header = Buffer.alloc(5);
	header[0] = final ? 1 : 0;
	header.writeUInt16LE(length, 1);
	header.writeUInt16LE(~length & 0xffff, 3);
	return header;
}

/** gzip size of `rawBytes` of input in stored blocks: header, 5 bytes per block, data, trailer. */
export function storedGzipSize(rawBytes: number): number {
	return GZIP_HEADER.length + 5 * (Math.floor(rawBytes / STORED_BLOCK) + 1) + rawBytes + 8;
}

/** Valid gzip without compression, so its size is known before the bytes are produced. */
export function* storedGzip(chunks: Iterable<Buffer>): Generator<Buffer> {
	yield GZIP_HEADER;
	let crc = 0;
	let total = 0;
	let pending: Buffer = Buffer.alloc(0);
	for (const chunk of chunks) {
		crc = crc32(chunk, crc);
		total += chunk.length;
		const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
		const pieces: Buffer[] = [];
		let offset = 0;
		for (; data.length - offset >= STORED_BLOCK; offset += STORED_BLOCK) {
			pieces.push(storedBlockHeader(STORED_BLOCK, false), data.subarray(offset, offset + STORED_BLOCK));
		}
		// A copy, so the few leftover bytes do not keep the whole chunk alive.
		pending = Buffer.from(data.subarray(offset));
		if (pieces.length) yield Buffer.concat(pieces);
	}
	const trailer = Buffer.alloc(8);
	trailer.writeUInt32LE(crc >>> 0, 0);
	trailer.writeUInt32LE(total % 0x1_0000_0000, 4);
	yield Buffer.concat([storedBlockHeader(pending.length, true), pending, trailer]);
}

/**
 * Sends an object with an exact Content-Length. With `truncate`, about half the bytes are
 * sent and the socket is destroyed: the integrity failure GrowingIO tells clients to check for.
 */
export async function sendStorageObject(exchange: Exchange, object: StorageObject, truncate: boolean): Promise<void> {
	const length = 'body' in object ? object.body.length : storedGzipSize(object.rawLength);
	if (exchange.closed) return;
	exchange.head(200, { 'Content-Type': object.contentType, 'Content-Length': length, 'Accept-Ranges': 'none' });
	if (exchange.req.method === 'HEAD') {
		exchange.res.end();
		return;
	}
	const source = Readable.from('body' in object ? [object.body] : storedGzip(object.rawChunks()));
	if (!truncate) {
		// A client that disconnects mid-download rejects the pipeline; nothing is left to answer.
		await pipeline(source, exchange.res).catch(() => undefined);
		return;
	}
	const limit = Math.floor(length / 2);
	let sent = 0;
	for await (const chunk of source) {
		const piece = (chunk as Buffer).subarray(0, limit - sent);
		sent += piece.length;
		if (sent >= limit) {
			// Cut the connection once the short body has reached the socket.
			exchange.res.write(piece, () => exchange.req.socket.destroy());
			break;
		}
		if (!exchange.res.write(piece)) await drained(exchange);
		if (exchange.closed) break;
	}
	source.destroy();
}

function drained(exchange: Exchange): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			exchange.res.off('drain', done);
			exchange.res.off('close', done);
			resolve();
		};
		exchange.res.on('drain', done);
		exchange.res.on('close', done);
	});
}
