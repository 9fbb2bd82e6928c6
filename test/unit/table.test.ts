import { DateTime } from 'luxon';

import { columnKeys, tableProblem, tableToRows } from '../../nodes/GrowingIo/helpers/table';

describe('tableToRows', () => {
	it('zips a line chart row with meta names, keeps numbers and gives the time in ISO (and ms)', () => {
		const rows = tableToRows(
			{
				meta: [
					{ name: '目标用户', dimension: true },
					{ name: '时间', dimension: true },
					{ name: '访问用户量', metric: true },
					{ name: '跳出率', metric: true },
				],
				data: [['全部访问用户', 1571068800000, 1024, '0.35']],
			},
			'Asia/Shanghai',
		);
		expect(rows).toEqual([
			{ 目标用户: '全部访问用户', 时间: '2019-10-15T00:00:00.000+08:00', '时间 (ms)': 1571068800000, 访问用户量: 1024, 跳出率: 0.35 },
		]);
	});

	it('writes every time exactly as luxon toISO does, across DST changes, odd offsets and UTC', () => {
		const zones = [
			'Asia/Shanghai', 'UTC', 'Etc/UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns',
			'Pacific/Chatham', 'Africa/Casablanca', 'Africa/Cairo', 'Asia/Gaza', 'America/Sao_Paulo', 'Asia/Tehran', 'Europe/Moscow',
		];
		// Every 37 minutes and 13.5 s over two years: crosses each zone's DST changes at odd times of day;
		// then one time a day from 2002 to 2031 (GrowingIO's daily buckets), offset changes included.
		const recent = Array.from({ length: 30000 }, (_, i) => Date.UTC(2024, 0, 1) + Math.round(i * 2233.5 * 1000) + (i % 1000));
		const daily = Array.from({ length: 30 * 366 }, (_, i) => Date.UTC(2002, 0, 1) + i * 86400000 + ((i * 7919) % 86400) * 1000);
		for (const zone of zones) {
			for (const times of [recent, daily]) {
				const rows = tableToRows({ meta: [{ name: '时间', dimension: true }, { name: 'n', metric: true }], data: times.map((t) => [t, 1]) }, zone);
				const wrong = rows.findIndex((row, i) => row['时间'] !== DateTime.fromMillis(times[i], { zone }).toISO());
				expect({ zone, wrong, got: rows[wrong]?.['时间'] }).toEqual({ zone, wrong: -1, got: undefined });
			}
		}
	});

	it('leaves dimension values alone, even numeric-looking ones', () => {
		const rows = tableToRows(
			{ meta: [{ name: '城市', dimension: true }, { name: '邮编', dimension: true }, { name: '次数', metric: true }], data: [['北京', '100000', 7]] },
			'UTC',
		);
		expect(rows).toEqual([{ 城市: '北京', 邮编: '100000', 次数: 7 }]);
	});

	it('reads rows one cell wider than meta with a 时间 column where the extra cell is a millisecond timestamp', () => {
		// GrowingIO's v2 sample: meta names 目标用户 and the metrics, line rows carry the time after 目标用户.
		const v2 = tableToRows(
			{ meta: [{ name: '目标用户', dimension: true }, { name: '访问用户量', metric: true }, { name: '跳出率', metric: true }], data: [['全部访问用户', 1571068800000, 1024, 0.35]] },
			'Asia/Shanghai',
		);
		expect(v2).toEqual([{ 目标用户: '全部访问用户', 时间: '2019-10-15T00:00:00.000+08:00', '时间 (ms)': 1571068800000, 访问用户量: 1024, 跳出率: 0.35 }]);
		// The legacy v1 rows have no 目标用户: the time is the first cell.
		const v1 = tableToRows({ meta: [{ name: '访问用户量', metric: true }], data: [[1571068800000, 7], [1571155200000, 9]] }, 'UTC');
		expect(v1).toEqual([
			{ 时间: '2019-10-14T16:00:00.000Z', '时间 (ms)': 1571068800000, 访问用户量: 7 },
			{ 时间: '2019-10-15T16:00:00.000Z', '时间 (ms)': 1571155200000, 访问用户量: 9 },
		]);
		expect(tableProblem({ meta: [{ name: '访问用户量', metric: true }], data: [[1571068800000, 7]] })).toBeUndefined();
	});

	it('disambiguates repeated column names', () => {
		expect(columnKeys([{ name: '人数' }, { name: '人数' }, { name: '人数' }, { name: '' }])).toEqual(['人数', '人数 (2)', '人数 (3)', 'column']);
	});
});

describe('tableProblem', () => {
	it('accepts a consistent table and names what is wrong otherwise', () => {
		expect(tableProblem({ meta: [{ name: 'a', metric: true }], data: [[1]] })).toBeUndefined();
		expect(tableProblem(null)).toMatch(/expected an object/);
		expect(tableProblem({ meta: 'x', data: [] })).toMatch(/meta/);
		expect(tableProblem({ meta: [{ name: 'a', metric: true }], data: [[1, 2, 3]] })).toBe('row 1 has 3 cells but meta names 1 columns');
		// One cell too many is read only when that cell is a timestamp before the metrics.
		expect(tableProblem({ meta: [{ name: 'a' }], data: [[1, 2]] })).toBe(
			'row 1 has 2 cells but meta names 1 columns (and no cell before the metrics is a millisecond timestamp for every row)',
		);
		expect(tableProblem({ meta: [{ name: 'n', metric: true }], data: [[5, 1571068800000]] })).toMatch(/no cell before the metrics is a millisecond timestamp/);
	});
});
