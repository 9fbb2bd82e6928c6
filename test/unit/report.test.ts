import { reportToItems } from '../../nodes/GrowingIo/helpers/report';

describe('reportToItems: a big-number chart\'s aggregator', () => {
	const bigNumber = (values: Array<string | number | null>) => ({
		meta: [
			{ name: '时间', dimension: true },
			{ name: '访问用户量', metric: true },
		],
		data: [[1571068800000, 100]],
		aggregator: { values },
	});

	// by hand: (120 - 100) / 100 = +20 %, (90 - 120) / 120 = -25 %, (1 - 3) / 3 = -66.67 %
	it.each([
		[[120, 100], 20],
		[['90', '120'], -25],
		[[1, 3], -66.67],
		[[5, 0], null],
		[['x', 1], null],
		[[7, null], null],
	])('values %j give a change of %p %', (values, changePercent) => {
		const [item] = reportToItems(bigNumber(values), true, 'Asia/Shanghai');
		expect(item.changePercent).toBe(changePercent);
	});

	it('puts this and the previous period as numbers on every row', () => {
		const items = reportToItems({ ...bigNumber(['90', '120']), data: [[1571068800000, 100], [1571155200000, 110]] }, true, 'Asia/Shanghai');
		expect(items.map(({ 访问用户量, currentValue, previousValue }) => ({ 访问用户量, currentValue, previousValue }))).toEqual([
			{ 访问用户量: 100, currentValue: 90, previousValue: 120 },
			{ 访问用户量: 110, currentValue: 90, previousValue: 120 },
		]);
	});

	it('gives the summary as the one item when the chart has no rows', () => {
		expect(reportToItems({ ...bigNumber([120, 100]), data: [] }, true, 'Asia/Shanghai')).toEqual([{ currentValue: 120, previousValue: 100, changePercent: 20 }]);
	});
});
