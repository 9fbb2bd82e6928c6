import type { IDataObject } from 'n8n-workflow';
import { Readable } from 'stream';

import { DateTime } from 'luxon';

import { CsvFormatError } from '../../nodes/GrowingIo/helpers/gzipCsv';
import { CellFormatError, cellValue, mapValue, parseArrowMap, readCsvRows, type RowOptions } from '../../nodes/GrowingIo/helpers/rawRows';

const CSV = [
	'visitUserId,eventName,eventNumber,eventVariable,sendTime',
	'u1,addToCart,1,"{\\"商品名称\\":\\"智能手表\\"}",1716220800000',
	'u2,payOrderSuccess,19.99,"{\\"city\\"->\\"beijing\\"}",1716220800001',
	'u3,addToCart,1,,1716220800002',
	'',
].join('\n');

async function read(text: string, options: Partial<RowOptions> = {}, max = Infinity): Promise<{ rows: IDataObject[]; whole: boolean }> {
	const rows: IDataObject[] = [];
	const defaults: RowOptions = { fields: [], eventNames: new Set(), isoTimezone: 'Asia/Shanghai' };
	const whole = await readCsvRows(Readable.from([Buffer.from(text)]), { ...defaults, ...options }, (row) => rows.push(row) < max);
	return { rows, whole };
}

/** ISO in Beijing time as luxon writes it: the oracle for the time columns. */
const beijing = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toISO();

describe('cellValue', () => {
	it.each([
		['title', '', null],
		['title', '123', '123'],
		['loginUserId', '10000001', '10000001'],
		['eventNumber', '19.99', 19.99],
		['latitude', '-22.5', -22.5],
		['index', '99999999999999999999', '99999999999999999999'],
		['eventVariable', '{"商品名称":"智能手表","价格":"99"}', { 商品名称: '智能手表', 价格: '99' }],
		['eventVariable', '{"city"->"beijing"}', { city: 'beijing' }],
		['visitorVariable', '', null],
	])('%s %j → %j', (column, text, expected) => {
		expect(cellValue(column, text)).toEqual(expected);
	});
});

describe('map columns: one shape, an object, in every row', () => {
	it.each([
		['{"city"->"beijing"}', { city: 'beijing' }],
		['{"city"->"beijing","价格"->"99"}', { city: 'beijing', 价格: '99' }],
		['{ "a" -> "1" , "b" -> "" }', { a: '1', b: '' }],
		['{}', {}],
		['{"say"->"a \\"quoted\\" word, and -> arrow"}', { say: 'a "quoted" word, and -> arrow' }],
		['{"path"->"C:\\\\tmp","u"->"\\u4e2d"}', { path: 'C:\\tmp', u: '中' }],
		['{"__proto__"->"x"}', JSON.parse('{"__proto__":"x"}')],
	])('reads GrowingIO\'s arrow form %s', (text, expected) => {
		const map = parseArrowMap(text);
		expect(map).toEqual(expected);
		expect(Object.keys(map!)).toEqual(Object.keys(expected));
		expect(mapValue('eventVariable', text)).toEqual(expected);
	});

	it.each([
		'{"a":',
		'[1,2]',
		'"text"',
		'42',
		'city=beijing',
		'{"city"->"beijing"',
		'{"city"->"beijing"} trailing',
		'{"city"->beijing}',
		'{city->"beijing"}',
		'{"a"->"1",}',
		'{"a"->"1" "b"->"2"}',
		'{"a"->"1\\q"}',
		'{"a"=>"1"}',
	])('refuses %s instead of passing on text or half a map', (text) => {
		expect(parseArrowMap(text)).toBeUndefined();
		expect(() => mapValue('pageVariable', text)).toThrow(CellFormatError);
		expect(() => mapValue('pageVariable', text)).toThrow(/^pageVariable is not a map in either of GrowingIO's forms/);
	});
});

describe('readCsvRows', () => {
	it('keys rows by the header row and types their cells', async () => {
		const { rows, whole } = await read(CSV);
		expect(whole).toBe(true);
		expect(rows).toEqual([
			{ visitUserId: 'u1', eventName: 'addToCart', eventNumber: 1, eventVariable: { 商品名称: '智能手表' }, sendTime: '2024-05-21T00:00:00.000+08:00', 'sendTime (ms)': 1716220800000 },
			{ visitUserId: 'u2', eventName: 'payOrderSuccess', eventNumber: 19.99, eventVariable: { city: 'beijing' }, sendTime: '2024-05-21T00:00:00.001+08:00', 'sendTime (ms)': 1716220800001 },
			{ visitUserId: 'u3', eventName: 'addToCart', eventNumber: 1, eventVariable: null, sendTime: '2024-05-21T00:00:00.002+08:00', 'sendTime (ms)': 1716220800002 },
		]);
		expect(Object.keys(rows[0])).toEqual(['visitUserId', 'eventName', 'eventNumber', 'eventVariable', 'sendTime', 'sendTime (ms)']);
	});

	it('writes time, sendTime and pageTime as ISO in the chosen timezone, with the ms beside each', async () => {
		// Across a DST change in Los Angeles (2024-03-10 02:00 local) and a client clock days off.
		const times = [1710064800000, 1710064799999, 1710061200000, 1709805600000];
		const csv = ['time,sendTime,pageTime', ...times.map((ms, i) => `${ms - i},${ms},${i === 3 ? '' : ms + 5}`)].join('\n');
		for (const timezone of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai']) {
			const { rows } = await read(csv, { isoTimezone: timezone });
			const iso = (ms: number) => DateTime.fromMillis(ms, { zone: timezone }).toISO();
			expect(rows).toEqual(
				times.map((ms, i) => ({
					time: iso(ms - i),
					'time (ms)': ms - i,
					sendTime: iso(ms),
					'sendTime (ms)': ms,
					pageTime: i === 3 ? null : iso(ms + 5),
					'pageTime (ms)': i === 3 ? null : ms + 5,
				})),
			);
		}
		expect((await read(csv)).rows[0].sendTime).toBe(beijing(times[0]));
	});

	it('keeps times as milliseconds under their own names without an ISO timezone (Time Format: Milliseconds Only)', async () => {
		const { rows } = await read(CSV, { isoTimezone: undefined, fields: ['visitUserId', 'sendTime'] });
		expect(rows).toEqual([
			{ visitUserId: 'u1', sendTime: 1716220800000 },
			{ visitUserId: 'u2', sendTime: 1716220800001 },
			{ visitUserId: 'u3', sendTime: 1716220800002 },
		]);
	});

	it('writes every sendTime exactly as luxon toISO does, across DST changes and odd offsets', async () => {
		// Every 17 minutes and 0.7 s over a year, in file order, as GrowingIO's rows come.
		const times = Array.from({ length: 31000 }, (_, i) => Date.UTC(2024, 0, 1) + i * 1020700 + (i % 997));
		const csv = ['sendTime', ...times].join('\n');
		for (const zone of ['Asia/Shanghai', 'UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham']) {
			const { rows } = await read(csv, { isoTimezone: zone });
			const wrong = rows.findIndex((row, i) => row.sendTime !== DateTime.fromMillis(times[i], { zone }).toISO());
			expect({ zone, wrong, got: rows[wrong]?.sendTime }).toEqual({ zone, wrong: -1, got: undefined });
		}
	});

	it('stops at a cell not in its column\'s form, naming the line and the column', async () => {
		await expect(read('visitUserId,eventVariable\nu1,{}\nu2,"city=beijing"\n')).rejects.toThrow(
			new CellFormatError('eventVariable', 'is not a map in either of GrowingIO\'s forms ({"k":"v"} or {"k"->"v"}): "city=beijing"', 3),
		);
		await expect(read('visitUserId,sendTime\nu1,soon\n')).rejects.toThrow('line 2: sendTime is not a time in epoch milliseconds: "soon"');
		await expect(read('visitUserId,sendTime\nu1,1716220800000.5\n')).rejects.toThrow(/^line 2: sendTime is not a time in epoch milliseconds/);
		// A column that is not kept is not read.
		expect((await read('visitUserId,eventVariable\nu1,"city=beijing"\n', { fields: ['visitUserId'] })).rows).toEqual([{ visitUserId: 'u1' }]);
	});

	it('keeps only Fields to Include, in their order, and filters on eventName', async () => {
		const seenColumns = new Set<string>();
		const { rows } = await read(CSV, { fields: ['sendTime', 'visitUserId', 'title'], eventNames: new Set(['addToCart']), seenColumns });
		expect(rows).toEqual([
			{ sendTime: beijing(1716220800000), 'sendTime (ms)': 1716220800000, visitUserId: 'u1' },
			{ sendTime: beijing(1716220800002), 'sendTime (ms)': 1716220800002, visitUserId: 'u3' },
		]);
		expect([...seenColumns]).toEqual(['visitUserId', 'eventName', 'eventNumber', 'eventVariable', 'sendTime']);
	});

	it('does not filter files without an eventName column, and adds _file', async () => {
		const { rows } = await read('visitUserId,time\nu1,5\n', { eventNames: new Set(['addToCart']), file: { dataType: 'vstr', part: 0 } });
		expect(rows).toEqual([{ visitUserId: 'u1', time: '1970-01-01T08:00:00.005+08:00', 'time (ms)': 5, _file: { dataType: 'vstr', part: 0 } }]);
	});

	it('stops when no more rows are wanted', async () => {
		const { rows, whole } = await read(CSV, {}, 2);
		expect(rows.map((row) => row.visitUserId)).toEqual(['u1', 'u2']);
		expect(whole).toBe(false);
	});

	it('gives no rows for empty and header-only files', async () => {
		expect(await read('')).toEqual({ rows: [], whole: true });
		expect(await read('visitUserId,time\n')).toEqual({ rows: [], whole: true });
	});

	it('refuses a row whose field count differs from the header', async () => {
		await expect(read('a,b\n1,2\n1,2,3\n')).rejects.toThrow(new CsvFormatError('line 3 has 3 fields, but the header row names 2 columns'));
	});
});
