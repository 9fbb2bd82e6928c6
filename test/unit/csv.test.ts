import { CsvFormatError, parseDelimited } from '../../nodes/GrowingIo/helpers/csv';

/** parseDelimited: users.csv (TAB) and rules.csv (comma) as objects keyed by the header row. */

const tab = (text: string, limit?: number) => parseDelimited(text, { delimiter: '\t', limit });

function failure(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(CsvFormatError);
		return (error as Error).message;
	}
	throw new Error('expected a CsvFormatError');
}

describe('parseDelimited', () => {
	it('keys each row by the (Chinese) header row', () => {
		expect(tab('登录用户ID\t登录用户变量1\n10000001\t金卡会员\n10000002\t银卡会员\n')).toEqual([
			{ 登录用户ID: '10000001', 登录用户变量1: '金卡会员' },
			{ 登录用户ID: '10000002', 登录用户变量1: '银卡会员' },
		]);
	});

	it('keeps every value as the text in the file: no numbers, no trimming', () => {
		expect(tab('id\tscore\tnote\n00012\t1e5\t  padded \n')).toEqual([{ id: '00012', score: '1e5', note: '  padded ' }]);
	});

	it('drops a UTF-8 BOM and skips empty lines, with LF or CRLF line ends', () => {
		const expected = [{ a: '1', b: '2' }, { a: '3', b: '' }];
		expect(tab('\uFEFFa\tb\n\n1\t2\n\n3\t\n\n')).toEqual(expected);
		expect(tab('\uFEFFa\tb\r\n1\t2\r\n\r\n3\t\r\n')).toEqual(expected);
	});

	it('reads quoted fields holding the delimiter, quotes and line breaks', () => {
		expect(parseDelimited('ruleId,eventName,eventType\nf2503720,"元素_注册, 登录","clck"\n9e6f1a3b,"表单 ""提交""\n订单",subm\n', { delimiter: ',' })).toEqual([
			{ ruleId: 'f2503720', eventName: '元素_注册, 登录', eventType: 'clck' },
			{ ruleId: '9e6f1a3b', eventName: '表单 "提交"\n订单', eventType: 'subm' },
		]);
	});

	it('gives no rows for an empty text or a header row alone', () => {
		expect(tab('')).toEqual([]);
		expect(tab('登录用户ID\t登录用户变量1\n')).toEqual([]);
	});

	it('ignores a trailing delimiter, as in GrowingIO\'s documented sample', () => {
		expect(tab('cs1_name\tcs2_name\t\n12249\tGrowingIO\n12250\tn8n\t\n')).toEqual([
			{ cs1_name: '12249', cs2_name: 'GrowingIO' },
			{ cs1_name: '12250', cs2_name: 'n8n' },
		]);
	});

	it('gives repeated and empty header names unique keys', () => {
		expect(tab('name\tname\t\tcity\n1\t2\t3\t4\n')).toEqual([{ name: '1', 'name (2)': '2', column: '3', city: '4' }]);
	});

	it('picks the first candidate delimiter found in the header row', () => {
		const comma = 'ruleId,eventName,eventType\nf2503720,元素_注册按钮,clck\n';
		const expected = [{ ruleId: 'f2503720', eventName: '元素_注册按钮', eventType: 'clck' }];
		expect(parseDelimited(comma, { delimiter: [',', '\t'] })).toEqual(expected);
		expect(parseDelimited(comma.replace(/,/g, '\t'), { delimiter: [',', '\t'] })).toEqual(expected);
	});

	it('stops after Limit rows, before a malformed row further down', () => {
		const text = 'a\tb\n1\t2\n3\t4\n5\t6\t7\n';
		expect(tab(text, 2)).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
		expect(failure(() => tab(text, 3))).toBe('line 4 has 3 fields, but the header row names 2 columns');
	});

	it.each([
		['too many fields', 'a\tb\n1\t2\n3\t4\t5\n', 'line 3 has 3 fields, but the header row names 2 columns'],
		['too few fields', 'a\tb\n1\t2\n\n3\n', 'line 4 has 1 field, but the header row names 2 columns'],
		['a bad row after a quoted line break', 'a\tb\n1\t"x\ny"\n3\t4\t5\n', 'line 4 has 3 fields, but the header row names 2 columns'],
		['an unterminated quote', 'a\tb\n1\t2\n"3\t4\n5\t6\n', 'line 3: quoted field unterminated'],
		['text after a closing quote', 'a\tb\n1\t2\n3\t"x"y\n', 'line 3: trailing quote on quoted field is malformed'],
	])('names the line of %s', (_case, text, message) => {
		expect(failure(() => tab(text))).toBe(message);
	});
});
