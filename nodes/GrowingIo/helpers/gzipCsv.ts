import { Parser } from '../vendor/papaparse';

/**
 * Streaming gzip CSV in GrowingIO's raw-export dialect: UTF-8, delimiter `,`, quote
 * `"`, escape `\` (`\"` is a quote and `\\` a backslash inside quoted fields, not RFC 4180's
 * doubled quotes), a header row first. Nothing here holds more than one chunk of a file.
 * Inflating and decoding use the platform's Web Streams and TextDecoder.
 */

/** A transform of bytes, as pipeThrough takes it. */
export interface ByteTransform {
	readable: ReadableStream<Uint8Array>;
	writable: WritableStream<Uint8Array>;
}

/**
 * Inflates gzip bytes. The platform's DecompressionStream counts its input queue in chunks (up to
 * thousands of them) rather than bytes, so a consumer slower than the download would let most of
 * the file pile up in it; here each chunk is accepted only once the inflater took the one before.
 */
export function gunzip(): ByteTransform {
	const inflater = new DecompressionStream('gzip') as ByteTransform;
	const writer = inflater.writable.getWriter();
	const writable = new WritableStream<Uint8Array>({
		write: async (chunk) => await writer.write(chunk),
		close: async () => await writer.close(),
		abort: async (reason: unknown) => await writer.abort(reason),
	});
	return { readable: inflater.readable, writable };
}

/**
 * Passes gzip bytes through unchanged while inflating a copy, so a broken or cut-off gzip file
 * fails the stream (before its end is accepted) instead of being stored as if it were complete.
 * Each chunk waits until the inflater has room, so a slow inflater slows the download rather than
 * piling up chunks.
 */
export function gzipCheck(): TransformStream<Uint8Array, Uint8Array> {
	const inflater = gunzip();
	const writer = inflater.writable.getWriter();
	let bytes = 0;
	// Reading (and dropping) the inflated copy is what lets the inflater take more input.
	const drained = (async () => {
		for await (const chunk of inflater.readable) void chunk;
	})();
	// Its failure is reported through the writer (and awaited in flush), not as an unhandled rejection.
	drained.catch(() => undefined);
	return new TransformStream({
		async transform(chunk, controller) {
			bytes += chunk.byteLength;
			controller.enqueue(chunk);
			await writer.ready;
			writer.write(chunk).catch(() => undefined);
		},
		async flush() {
			// An empty object is an empty file, not a broken one.
			if (bytes === 0) {
				await writer.abort();
				return;
			}
			await writer.close();
			await drained;
		},
	});
}

/** A CSV problem that no retry fixes (unlike a broken download). */
export class CsvFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CsvFormatError';
	}
}

/**
 * papaparse's escape-character support unescapes `\"` but leaves `\\` as two characters, and reads
 * a field that ends in an escaped backslash (`"C:\\"`) as an escaped closing quote. So every `\\`
 * pair becomes this private-use character before parsing and a single `\` afterwards.
 */
const BACKSLASH_PAIR = '\uE000';
const BACKSLASH_PAIRS = /\\\\/g;
const PLACEHOLDERS = /\uE000/g;

/** The first line end decides; undefined while there is none yet (or only a `\r` that may precede a `\n`). */
function detectNewline(text: string, last: boolean): '\n' | '\r\n' | '\r' | undefined {
	const lf = text.indexOf('\n');
	const cr = text.indexOf('\r');
	if (lf >= 0 && (cr < 0 || cr > lf)) return '\n';
	if (cr >= 0 && cr + 1 < text.length) return text[cr + 1] === '\n' ? '\r\n' : '\r';
	if (cr >= 0 && last) return '\r';
	return undefined;
}

/**
 * Parses decompressed CSV bytes into batches of rows (arrays of field strings), the header row
 * first. Completely empty lines are skipped. Breaking out of the loop ends the source stream, so a
 * caller that has enough rows stops the download too.
 */
export async function* csvRowBatches(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string[][]> {
	// ignoreBOM: the BOM stays in the text and is dropped below, as for text chunks.
	const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
	let parser: Parser | undefined;
	// Text of a row that is not complete yet, already carrying placeholders.
	let pending = '';
	// An odd backslash at the end of a chunk: its partner may start the next chunk.
	let carry = '';
	let started = false;
	let hasPairs = false;

	const prepare = (raw: string, last: boolean): string => {
		let text = carry + raw;
		carry = '';
		if (!started && text) {
			started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		if (!last && text.endsWith('\\')) {
			let run = 0;
			while (run < text.length && text[text.length - 1 - run] === '\\') run++;
			if (run % 2 === 1) {
				carry = '\\';
				text = text.slice(0, -1);
			}
		}
		if (text.includes('\\\\')) {
			hasPairs = true;
			text = text.replace(BACKSLASH_PAIRS, BACKSLASH_PAIR);
		}
		return text;
	};

	const parse = (text: string, last: boolean): string[][] => {
		const input = pending + text;
		pending = '';
		if (!parser) {
			const newline = detectNewline(input, last);
			if (!newline && !last) {
				pending = input;
				return [];
			}
			parser = new Parser({ delimiter: ',', quoteChar: '"', escapeChar: '\\', newline: newline ?? '\n' });
		}
		const result = parser.parse(input, 0, !last) as { data: string[][]; errors: Array<{ code: string }>; meta: { cursor: number } };
		if (!last) pending = input.substring(result.meta.cursor);
		else if (result.errors.some((error) => error.code === 'MissingQuotes')) throw new CsvFormatError('the file ends inside a quoted field');
		const rows: string[][] = [];
		for (const row of result.data) {
			if (row.length === 1 && row[0] === '') continue;
			if (hasPairs) {
				for (let i = 0; i < row.length; i++) {
					if (row[i].includes(BACKSLASH_PAIR)) row[i] = row[i].replace(PLACEHOLDERS, '\\');
				}
			}
			rows.push(row);
		}
		return rows;
	};

	for await (const chunk of source) {
		const rows = parse(prepare(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), false), false);
		if (rows.length) yield rows;
	}
	const rows = parse(prepare(decoder.decode(), true), true);
	if (rows.length) yield rows;
}
