import { randomBytes } from 'crypto';
import { Readable } from 'stream';
import { gzipSync } from 'zlib';

import { CsvFormatError, csvRowBatches, gunzip, gzipCheck } from '../../nodes/GrowingIo/helpers/gzipCsv';

/** All rows of a CSV given as byte chunks. */
async function parse(chunks: Array<Buffer | string>): Promise<string[][]> {
	const rows: string[][] = [];
	for await (const batch of csvRowBatches(Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk))))) {
		rows.push(...batch);
	}
	return rows;
}

/** The same bytes cut at every position: the parse must not depend on where chunks end. */
async function expectSameAtEverySplit(text: string, expected: string[][]) {
	const bytes = Buffer.from(text, 'utf8');
	expect(await parse([bytes])).toEqual(expected);
	for (let at = 1; at < bytes.length; at++) {
		expect(await parse([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(expected);
	}
}

// As GrowingIO writes it: quoted only when needed, `"` → `\"` and `\` → `\\` inside quotes.
const DIALECT = [
	'title,info,path',
	'"手机, 平板 - 数码优选","限时\\"秒杀\\"专场",plain',
	'"C:\\\\Downloads 帮助中心","ends with backslash \\\\","\\\\\\"both\\\\"',
	'中文,"{\\"商品名称\\":\\"智能手表\\",\\"价格\\":\\"99\\"}","{\\"city\\"->\\"beijing\\"}"',
	'"two\nlines",,',
	'',
].join('\n');

const DIALECT_ROWS = [
	['title', 'info', 'path'],
	['手机, 平板 - 数码优选', '限时"秒杀"专场', 'plain'],
	['C:\\Downloads 帮助中心', 'ends with backslash \\', '\\"both\\'],
	['中文', '{"商品名称":"智能手表","价格":"99"}', '{"city"->"beijing"}'],
	['two\nlines', '', ''],
];

describe('csvRowBatches', () => {
	it('reads quoted commas, backslash-escaped quotes and backslashes, Chinese text and quoted newlines', async () => {
		expect(await parse([DIALECT])).toEqual(DIALECT_ROWS);
	});

	it('gives the same rows wherever the chunks are cut (inside characters, escapes and backslash runs)', async () => {
		await expectSameAtEverySplit(DIALECT, DIALECT_ROWS);
	});

	it('keeps a field that ends in an escaped backslash from swallowing its closing quote', async () => {
		expect(await parse(['a,b\n"x\\\\",y\n"\\\\\\\\",z\n'])).toEqual([['a', 'b'], ['x\\', 'y'], ['\\\\', 'z']]);
	});

	it('reads an empty file as no rows and a header-only file as the header', async () => {
		expect(await parse([])).toEqual([]);
		expect(await parse([''])).toEqual([]);
		expect(await parse(['visitUserId,sessionId\n'])).toEqual([['visitUserId', 'sessionId']]);
		expect(await parse(['visitUserId,sessionId'])).toEqual([['visitUserId', 'sessionId']]);
	});

	it('drops a byte-order mark, reads CRLF line ends and skips blank lines', async () => {
		expect(await parse(['\ufeffa,b\r\n1,2\r\n\r\n3,"4\r\n5"\r\n'])).toEqual([['a', 'b'], ['1', '2'], ['3', '4\r\n5']]);
		expect(await parse(['a,b\n\n1,2\n\n'])).toEqual([['a', 'b'], ['1', '2']]);
	});

	it('waits for the first line end before choosing the newline', async () => {
		expect(await parse(['a,', 'b', '\r', '\n1,2\r\n'])).toEqual([['a', 'b'], ['1', '2']]);
	});

	it('refuses a file that ends inside a quoted field', async () => {
		await expect(parse(['a,b\n"open,1\n'])).rejects.toThrow(CsvFormatError);
	});

	it('streams: the first batch arrives before the source ends, and stopping early ends the source', async () => {
		let produced = 0;
		let destroyed = false;
		const source = new Readable({
			read() {
				produced++;
				this.push(Buffer.from(produced === 1 ? 'a,b\n' : `${produced},x\n`.repeat(1000)));
			},
			destroy(error, callback) {
				destroyed = true;
				callback(error);
			},
		});
		let rows = 0;
		for await (const batch of csvRowBatches(source)) {
			rows += batch.length;
			if (rows > 10) break;
		}
		expect(produced).toBeLessThan(10);
		expect(destroyed).toBe(true);
	});
});

describe('gzip streams', () => {
	const csv = Buffer.from(DIALECT, 'utf8');
	const gz = gzipSync(csv);

	async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
		const chunks: Uint8Array[] = [];
		for await (const chunk of stream) chunks.push(chunk);
		return Buffer.concat(chunks);
	}

	it('gzipCheck passes gzip bytes through unchanged', async () => {
		const out = await collect(ReadableStream.from([gz.subarray(0, 7), gz.subarray(7, 20), gz.subarray(20)]).pipeThrough(gzipCheck()));
		expect(out.equals(gz)).toBe(true);
	});

	it.each([
		['cut short', gz.subarray(0, gz.length - 9)],
		['corrupted', Buffer.concat([gz.subarray(0, 12), Buffer.from([0xff, 0xff, 0xff]), gz.subarray(15)])],
		['not gzip at all', csv],
	])('gzipCheck fails a file that is %s', async (_label, bytes) => {
		await expect(collect(ReadableStream.from([bytes]).pipeThrough(gzipCheck()))).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
	});

	it('gzipCheck accepts an empty file; a gzip of nothing parses as no rows', async () => {
		expect((await collect(ReadableStream.from<Uint8Array>([]).pipeThrough(gzipCheck()))).length).toBe(0);
		const rows: string[][] = [];
		for await (const batch of csvRowBatches(ReadableStream.from([gzipSync(Buffer.alloc(0))]).pipeThrough(gunzip()))) rows.push(...batch);
		expect(rows).toEqual([]);
	});

	it('gunzip takes no more input than it can hold while its output is not read (flat memory under a slow reader)', async () => {
		// The platform's DecompressionStream alone reports room for 16,384 chunks: 1 GB of 64 KiB chunks.
		const big = gzipSync(randomBytes(8 * 1024 * 1024), { level: 0 });
		const inflater = gunzip();
		const writer = inflater.writable.getWriter();
		const chunkBytes = 64 * 1024;
		let accepted = 0;
		for (let at = 0; at < big.length; at += chunkBytes) {
			let timer: NodeJS.Timeout | undefined;
			const ready = await Promise.race([writer.ready.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 200)))]);
			clearTimeout(timer);
			if (!ready) break;
			writer.write(big.subarray(at, at + chunkBytes)).catch(() => undefined);
			accepted += chunkBytes;
		}
		expect(accepted).toBeLessThan(1024 * 1024);
		// As a reader that stops does: the pending write fails and the inflater is closed.
		await inflater.readable.cancel();
	});

	it('gunzip + csvRowBatches read a gzip CSV as it streams', async () => {
		const rows: string[][] = [];
		const stream = ReadableStream.from([gz.subarray(0, 5), gz.subarray(5)]).pipeThrough(gunzip());
		for await (const batch of csvRowBatches(stream)) rows.push(...batch);
		expect(rows).toEqual(DIALECT_ROWS);
	});
});
