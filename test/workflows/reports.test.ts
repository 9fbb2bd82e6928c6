import { Settings } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import {
	buildChartReport,
	buildFunnelReport,
	buildRetentionReport,
	chartForLayout,
	CHARTS,
	EXPORTER_DOING_POLLS,
	findDashboard,
	FUNNELS,
	RETENTIONS,
	WIDGETS,
	type ChartLayout,
} from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runGrowingIoNode } from '../helpers/harness';
import { expectedDashboardReport, expectedDashboardRows, expectedRows } from '../helpers/reportOracle';
import { tokenCredentials } from '../helpers/sandboxClient';

/**
 * Chart, Funnel, Retention and Dashboard → Get Data through n8n's engine against the sandbox.
 * Expected rows come from the sandbox's own report builders, zipped with meta names here.
 */

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});
afterEach(() => {
	Settings.now = () => Date.now();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const DAY = 86400000;
// 2026-11-01 … 2026-11-07, Beijing time
const WEEK = { timeRange: 'custom', startDate: '2026-11-01', endDate: '2026-11-07' };
const WEEK_WINDOW = { startTime: Date.parse('2026-11-01T00:00:00+08:00'), endTime: Date.parse('2026-11-07T23:59:59.999+08:00') };

const run = (parameters: IDataObject) => runGrowingIoNode(parameters, { credentials: tokenCredentials(sandbox) });

const api = () => sandbox.requests.filter((r) => r.countsTowardLimit);

describe('Chart → Get Data', () => {
	const layouts: ChartLayout[] = ['line', 'lineWithDimension', 'horizontalBar', 'verticalBar', 'table', 'bigNumber', 'bubble'];

	it.each(layouts)('turns a %s chart into one item per row keyed by meta names', async (layout) => {
		const chart = chartForLayout(layout);
		const { json, error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day' });
		expect(error).toBeUndefined();
		const expected = expectedRows(buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY }));
		expect(json).toEqual(expected);
		expect(api()[0].query).toMatchObject({ startTime: String(WEEK_WINDOW.startTime), endTime: String(WEEK_WINDOW.endTime), interval: String(DAY) });
	});

	it('gives the time as ISO in the chosen timezone, with the milliseconds beside it', async () => {
		const chart = chartForLayout('line');
		const shanghai = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day' });
		expect(shanghai.json[0]['时间 (ms)']).toBe(WEEK_WINDOW.startTime);
		expect(shanghai.json[0]['时间']).toBe('2026-11-01T00:00:00.000+08:00');
		sandbox.resetRequests();
		const utc = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day', options: { timezone: 'UTC' } });
		// the range now starts at 00:00 UTC; GrowingIO's buckets still start at Beijing midnight
		const utcWindow = { startTime: Date.parse('2026-11-01T00:00:00Z'), endTime: Date.parse('2026-11-07T23:59:59.999Z') };
		expect(api()[0].query).toMatchObject({ startTime: String(utcWindow.startTime), endTime: String(utcWindow.endTime) });
		expect(utc.json).toEqual(expectedRows(buildChartReport(chart, { ...utcWindow, interval: DAY }), 'UTC'));
		expect(utc.json[0]['时间']).toMatch(/Z$/);
	});

	it('exposes a big-number chart\'s aggregator as current value, previous value and change %', async () => {
		const chart = chartForLayout('bigNumber');
		const report = buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY });
		const [current, previous] = report.aggregator!.values.map(Number);
		const { json } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day' });
		expect(json.length).toBeGreaterThan(0);
		// The change % formula itself is pinned with hand-computed values in test/unit/report.test.ts.
		for (const item of json) {
			expect(item).toMatchObject({ currentValue: current, previousValue: previous, changePercent: Math.round(((current - previous) / previous) * 10000) / 100 });
		}
	});

	it('turns numeric strings into numbers', async () => {
		const chart = CHARTS.find((c) => c.numericStrings)!;
		const { json } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day' });
		const metricNames = chart.metrics.map((m) => m.name);
		expect(json).toEqual(expectedRows(buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY })));
		for (const item of json) for (const name of metricNames) expect(typeof item[name]).toBe('number');
	});

	it('returns the raw payload with Simplify off', async () => {
		const chart = chartForLayout('table');
		const { json } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'week', simplify: false });
		expect(json).toEqual([JSON.parse(JSON.stringify(buildChartReport(chart, { ...WEEK_WINDOW, interval: 7 * DAY })))]);
	});

	it('reads the legacy v1 path, whose rows have no 目标用户 column', async () => {
		const chart = chartForLayout('line');
		const { json } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day', options: { apiVersion: 'v1' } });
		expect(json).toEqual(expectedRows(buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY }, 'v1')));
		expect(json[0]).not.toHaveProperty('目标用户');
		expect(api()[0].path).toBe(`/projects/${sandbox.project.uid}/charts/${chart.id}.json`);
	});

	it.each(['v2', 'v1', 'v3'] as const)('reads a %s chart whose meta names no time column (GrowingIO\'s v2 sample) with a 时间 column', async (apiVersion) => {
		const chart = CHARTS.find((c) => c.metaWithoutTime)!;
		const { json, error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day', options: { apiVersion } });
		expect(error).toBeUndefined();
		const version = apiVersion === 'v1' ? 'v1' : 'v2';
		const sent = buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY }, version);
		expect(sent.meta.map((column) => column.name)).not.toContain('时间');
		expect(sent.data[0]).toHaveLength(sent.meta.length + 1);
		// The same rows as the chart would give with 时间 in its meta.
		expect(json).toEqual(expectedRows(buildChartReport({ ...chart, metaWithoutTime: false }, { ...WEEK_WINDOW, interval: DAY }, version)));
		expect(json[0]['时间 (ms)']).toBe(WEEK_WINDOW.startTime);
	});

	it('waits for the v3 exporter while it says "doing" and returns the same rows as v2', async () => {
		const chart = chartForLayout('bubble');
		const { json, error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day', options: { apiVersion: 'v3' } });
		expect(error).toBeUndefined();
		expect(json).toEqual(expectedRows(buildChartReport(chart, { ...WEEK_WINDOW, interval: DAY })));
		const polls = api().filter((r) => r.path.startsWith('/v3/exporter/'));
		// The sandbox answers "doing" a set number of times, then the data: one poll more, no extra.
		expect(polls).toHaveLength((chart.exporterPolls ?? EXPORTER_DOING_POLLS) + 1);
		expect(polls[1].arrivedAt - polls[0].arrivedAt).toBeGreaterThanOrEqual(990);
	});

	it('gives up on the v3 exporter after Max Wait with advice', async () => {
		const chart = CHARTS.find((c) => c.id === 'Bg8hJ3kL')!; // needs 4 "doing" polls
		const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'day', options: { apiVersion: 'v3', maxWaitSeconds: 1 } });
		expect(error?.message).toMatch(/still preparing chart \(单图\) "Bg8hJ3kL" after 1 s/);
		expect(error?.description).toMatch(/Max Wait/);
	});

	it('serves hourly data for up to 7 days and refuses more, naming Interval', async () => {
		const chart = chartForLayout('line');
		const ok = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), ...WEEK, interval: 'hour' });
		expect(ok.json).toHaveLength(7 * 24);
		const tooLong = await run({ resource: 'chart', operation: 'getData', chartId: byId(chart.id), timeRange: 'custom', startDate: '2026-11-01', endDate: '2026-11-08', interval: 'hour' });
		expect(tooLong.error?.message).toMatch(/Interval Hour is only available for time ranges of up to 7 days \(this one has 8\)/);
	});

	it('says so when a chart would have more than 200,000 rows', async () => {
		// 12 rows a day for 56 years
		const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId('Pg4tR7wZ'), timeRange: 'custom', startDate: '1970-01-02', endDate: '2026-11-01', interval: 'day' });
		expect(error?.message).toMatch(/HTTP 400: This download would return \d+ rows, more than the 200000 rows/);
		expect(api()).toHaveLength(1);
	});

	it('a funnel ID given to Chart is a clear 404', async () => {
		const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(FUNNELS[0].id), ...WEEK, interval: 'day' });
		expect(error?.message).toMatch(new RegExp(`could not find chart \\(单图\\) "${FUNNELS[0].id}" \\(404`));
	});

	it.each([
		[{ timeRange: 'custom', startDate: '={{ "" }}', endDate: '2026-11-07' }, /Start Date is empty/, /Pick a date for Start Date, or choose a preset/],
		[{ timeRange: 'custom', startDate: '2026-11-07', endDate: '2026-11-01' }, /End Date \(2026-11-01\) is before Start Date \(2026-11-07\)/, /Swap the two dates/],
		[{ ...WEEK, options: { timezone: 'Asia/Peking' } }, /Timezone "Asia\/Peking" does not exist/, /IANA timezone name such as Asia\/Shanghai/],
		[{ ...WEEK, interval: '={{ "fortnight" }}' }, /Interval "fortnight" is not one of Hour, Day, Week, Month/, /return hour, day, week or month/],
	])('refuses bad input %j before any request, saying how to fix it', async (parameters, message, fix) => {
		const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(CHARTS[0].id), interval: 'day', ...parameters });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(api()).toHaveLength(0);
	});

	describe('time range presets (fixed clock: Wednesday 2026-11-18 10:15 Beijing)', () => {
		const now = Date.parse('2026-11-18T10:15:00+08:00');
		it.each([
			['today', '2026-11-18T00:00:00+08:00', '2026-11-18T23:59:59.999+08:00'],
			['yesterday', '2026-11-17T00:00:00+08:00', '2026-11-17T23:59:59.999+08:00'],
			['last7Days', '2026-11-11T00:00:00+08:00', '2026-11-17T23:59:59.999+08:00'],
			['last30Days', '2026-10-19T00:00:00+08:00', '2026-11-17T23:59:59.999+08:00'],
			['thisWeek', '2026-11-16T00:00:00+08:00', '2026-11-18T23:59:59.999+08:00'],
			['lastWeek', '2026-11-09T00:00:00+08:00', '2026-11-15T23:59:59.999+08:00'],
			['thisMonth', '2026-11-01T00:00:00+08:00', '2026-11-18T23:59:59.999+08:00'],
			['lastMonth', '2026-10-01T00:00:00+08:00', '2026-10-31T23:59:59.999+08:00'],
		])('%s asks GrowingIO for %s … %s', async (timeRange, start, end) => {
			Settings.now = () => now;
			const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(CHARTS[0].id), timeRange, interval: 'day' });
			expect(error).toBeUndefined();
			expect(api()[0].query).toMatchObject({ startTime: String(Date.parse(start)), endTime: String(Date.parse(end)) });
		});

		it('Exclude Incomplete Data refuses yesterday at 03:00, before GrowingIO\'s daily jobs finish', async () => {
			Settings.now = () => Date.parse('2026-11-18T03:00:00+08:00');
			const { error } = await run({ resource: 'chart', operation: 'getData', chartId: byId(CHARTS[0].id), timeRange: 'yesterday', interval: 'day', options: { excludeIncompleteData: true } });
			expect(error?.message).toMatch(/no complete data for this time range yet/);
		});
	});
});

describe('Funnel → Get Data', () => {
	it('returns one item per row with named step fields and sends the conversion window', async () => {
		const funnel = FUNNELS[0];
		const { json } = await run({ resource: 'funnel', operation: 'getData', funnelId: byId(funnel.id), ...WEEK, conversionWindow: 3 });
		expect(json).toEqual(expectedRows(buildFunnelReport(funnel, WEEK_WINDOW, 3)));
		expect(Object.keys(json[0])).toEqual(expect.arrayContaining([`${funnel.steps[0]}人数`, '总转化率']));
		expect(api()[0].query.conversionWindow).toBe('3');
	});

	it('with Output One Item per Step gives one item per step of each row', async () => {
		const funnel = FUNNELS[1];
		const { json, items, error } = await run({ resource: 'funnel', operation: 'getData', funnelId: byId(funnel.id), ...WEEK, conversionWindow: 3, output: 'steps' });
		expect(error).toBeUndefined();
		const rows = expectedRows(buildFunnelReport(funnel, WEEK_WINDOW, 3)) as Array<Record<string, unknown>>;
		expect(json).toEqual(
			rows.flatMap((row) =>
				funnel.steps.map((step, index) => ({
					目标用户: row['目标用户'],
					时间: row['时间'],
					'时间 (ms)': row['时间 (ms)'],
					总转化率: row['总转化率'],
					step,
					stepNumber: index + 1,
					users: row[`${step}人数`],
					conversionRate: row[`${step}转化率`],
				})),
			),
		);
		expect(Object.keys(json[0])).toHaveLength(8);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('reads the v3 exporter', async () => {
		const funnel = FUNNELS[1];
		const { json } = await run({ resource: 'funnel', operation: 'getData', funnelId: byId(funnel.id), ...WEEK, conversionWindow: 7, options: { apiVersion: 'v3' } });
		expect(json).toEqual(expectedRows(buildFunnelReport(funnel, WEEK_WINDOW, 7)));
	});

	it('refuses a conversion window that is not a whole number of days', async () => {
		const { error } = await run({ resource: 'funnel', operation: 'getData', funnelId: byId(FUNNELS[0].id), ...WEEK, conversionWindow: '={{ "seven" }}' });
		expect(error?.message).toMatch(/Conversion Window \(Days\) must be a whole number from 1 to 180 \(got "seven"\)/);
	});
});

describe('Retention → Get Data', () => {
	it.each(['day', 'week'] as const)('returns %s retention rows with day-N count and rate fields', async (range) => {
		const retention = RETENTIONS[0];
		const { json } = await run({ resource: 'retention', operation: 'getData', retentionId: byId(retention.id), ...WEEK, range });
		expect(json).toEqual(expectedRows(buildRetentionReport(retention, WEEK_WINDOW, range)));
		expect(api()[0].query.range).toBe(range);
	});
});

describe('Dashboard → Get Data', () => {
	it('fetches every chart, funnel and retention of a 13-chart dashboard, tags each row, never over the limit', async () => {
		const dashboard = findDashboard('YoX28w7R')!;
		expect(dashboard.items.length).toBeGreaterThanOrEqual(10);
		const { json, items, error } = await run({ resource: 'dashboard', operation: 'getData', dashboardId: byId(dashboard.id), ...WEEK, interval: 'day' });
		expect(error).toBeUndefined();

		expect([...new Set(json.map((row) => row.chartId))]).toEqual(dashboard.items);
		for (const id of dashboard.items) {
			expect(json.filter((row) => row.chartId === id)).toEqual(expectedDashboardRows(id, WEEK_WINDOW));
		}
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(api()).toHaveLength(1 + dashboard.items.length);
		expect(api().filter((r) => r.status === 429)).toHaveLength(0);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('with Simplify off returns one raw report per chart, tagged', async () => {
		const { json, error } = await run({ resource: 'dashboard', operation: 'getData', dashboardId: byId('Ch7nL2pW'), ...WEEK, interval: 'week', simplify: false });
		expect(error).toBeUndefined();
		const dashboard = findDashboard('Ch7nL2pW')!;
		expect(json).toEqual(dashboard.items.map((id) => expectedDashboardReport(id, WEEK_WINDOW, 7 * DAY)));
	});

	it('reads a dashboard with an untyped chart, widgets it cannot read and a chart whose meta lacks 时间; each widget is a note', async () => {
		const dashboard = findDashboard('Mx6wR2tK')!;
		const widgets = dashboard.items.filter((id) => WIDGETS.some((w) => w.id === id));
		expect(widgets.length).toBeGreaterThanOrEqual(2);
		const { json, error } = await run({ resource: 'dashboard', operation: 'getData', dashboardId: byId(dashboard.id), ...WEEK, interval: 'day' });
		expect(error).toBeUndefined();
		expect(json).toEqual(dashboard.items.flatMap((id) => expectedDashboardRows(id, WEEK_WINDOW)));
		for (const id of widgets) expect(json.filter((row) => row.chartId === id)).toEqual([expect.objectContaining({ skipped: true, note: expect.stringMatching(/not ".+" widgets/) })]);
		// No request for the widgets.
		expect(api()).toHaveLength(1 + dashboard.items.length - widgets.length);
	});

	it('with Output One Item per Report gives each report its rows, and each widget a note', async () => {
		const dashboard = findDashboard('Mx6wR2tK')!;
		const { json, error } = await run({ resource: 'dashboard', operation: 'getData', dashboardId: byId(dashboard.id), ...WEEK, interval: 'day', output: 'reports' });
		expect(error).toBeUndefined();
		expect(json).toEqual(
			dashboard.items.map((id) => {
				const [first, ...rest] = expectedDashboardRows(id, WEEK_WINDOW);
				if (first.skipped) return { ...first, rows: [] };
				const rows = [first, ...rest].map(({ chartId: _id, chartName: _name, chartType: _type, ...row }) => row);
				return { chartId: first.chartId, chartName: first.chartName, chartType: first.chartType, rowCount: rows.length, rows };
			}),
		);
	});

	it.each([
		['Dashboard → Get Data', { resource: 'dashboard', operation: 'getData', dashboardId: byId('Ch7nL2pW'), interval: 'day' }, /Output "table" is not one of One Item per Report, One Item per Row/],
		['Funnel → Get Data', { resource: 'funnel', operation: 'getData', funnelId: byId(FUNNELS[0].id), conversionWindow: 7 }, /Output "table" is not one of One Item per Row, One Item per Step/],
		['Dashboard → Get', { resource: 'dashboard', operation: 'get', dashboardId: byId('Ch7nL2pW') }, /Output "table" is not one of Dashboard, One Item per Chart/],
	])('%s: an Output from an expression that is no choice is an error naming Output, before any request', async (_operation, parameters, message) => {
		const { error } = await run({ ...WEEK, ...parameters, output: '={{ "table" }}' });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Choose an Output from the list/);
		expect(api()).toHaveLength(0);
	});

	it('an empty dashboard gives no items', async () => {
		const { json, error } = await run({ resource: 'dashboard', operation: 'getData', dashboardId: byId('Em0pTy4B'), ...WEEK, interval: 'day' });
		expect(error).toBeUndefined();
		expect(json).toEqual([]);
	});
});
