import type { IDataObject } from 'n8n-workflow';
import { Readable } from 'stream';

import { CsvFormatError } from '../../nodes/GrowingIo/helpers/gzipCsv';
import { cellValue, readCsvRows, type RowOptions } from '../../nodes/GrowingIo/helpers/rawRows';

const CSV = [
	'visitUserId,eventName,eventNumber,eventVariable,sendTime',
	'u1,addToCart,1,"{\\"商品名称\\":\\"智能手表\\"}",1716220800000',
	'u2,payOrderSuccess,19.99,"{\\"city\\"->\\"beijing\\"}",1716220800001',
	'u3,addToCart,1,,1716220800002',
	'',
].join('\n');

async function read(text: string, options: Partial<RowOptions> = {}, max = Infinity): Promise<{ rows: IDataObject[]; whole: boolean }> {
	const rows: IDataObject[] = [];
	const whole = await readCsvRows(Readable.from([Buffer.from(text)]), { fields: [], eventNames: new Set(), ...options }, (row) => rows.push(row) < max);
	return { rows, whole };
}

describe('cellValue', () => {
	it.each([
		['title', '', null],
		['title', '123', '123'],
		['loginUserId', '10000001', '10000001'],
		['sendTime', '1716220800123', 1716220800123],
		['eventNumber', '19.99', 19.99],
		['latitude', '-22.5', -22.5],
		['index', '99999999999999999999', '99999999999999999999'],
		['sendTime', 'soon', 'soon'],
		['eventVariable', '{"商品名称":"智能手表","价格":"99"}', { 商品名称: '智能手表', 价格: '99' }],
		['eventVariable', '{"city"->"beijing"}', '{"city"->"beijing"}'],
		['pageVariable', '{"a":', '{"a":'],
		['adsVariable', '[1,2]', '[1,2]'],
		['visitorVariable', '', null],
	])('%s %j → %j', (column, text, expected) => {
		expect(cellValue(column, text)).toEqual(expected);
	});
});

describe('readCsvRows', () => {
	it('keys rows by the header row and types their cells', async () => {
		const { rows, whole } = await read(CSV);
		expect(whole).toBe(true);
		expect(rows).toEqual([
			{ visitUserId: 'u1', eventName: 'addToCart', eventNumber: 1, eventVariable: { 商品名称: '智能手表' }, sendTime: 1716220800000 },
			{ visitUserId: 'u2', eventName: 'payOrderSuccess', eventNumber: 19.99, eventVariable: '{"city"->"beijing"}', sendTime: 1716220800001 },
			{ visitUserId: 'u3', eventName: 'addToCart', eventNumber: 1, eventVariable: null, sendTime: 1716220800002 },
		]);
	});

	it('keeps only Fields to Include, in their order, and filters on eventName', async () => {
		const seenColumns = new Set<string>();
		const { rows } = await read(CSV, { fields: ['sendTime', 'visitUserId', 'title'], eventNames: new Set(['addToCart']), seenColumns });
		expect(rows).toEqual([
			{ sendTime: 1716220800000, visitUserId: 'u1' },
			{ sendTime: 1716220800002, visitUserId: 'u3' },
		]);
		expect([...seenColumns]).toEqual(['visitUserId', 'eventName', 'eventNumber', 'eventVariable', 'sendTime']);
	});

	it('does not filter files without an eventName column, and adds _file', async () => {
		const { rows } = await read('visitUserId,time\nu1,5\n', { eventNames: new Set(['addToCart']), file: { dataType: 'vstr', part: 0 } });
		expect(rows).toEqual([{ visitUserId: 'u1', time: 5, _file: { dataType: 'vstr', part: 0 } }]);
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
