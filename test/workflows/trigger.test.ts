import { DateTime, Settings } from 'luxon';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { gunzipSync } from 'zlib';

import { buildChartReport, CHARTS, DASHBOARDS } from '../../sandbox/data';
import { RAW_EXPORT_CASES } from '../../sandbox/rawExport';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { GrowingIoTrigger } from '../../nodes/GrowingIoTrigger/GrowingIoTrigger.node';
import { getChartMetrics } from '../../nodes/GrowingIoTrigger/methods/loadOptions';
import { ActiveTrigger, credentialsFor, loadOptionsContext, pollTrigger, runGrowingIoNode, TRIGGER_NODE, triggerWorkflow } from '../helpers/harness';
import { expectedDashboardRows } from '../helpers/reportOracle';
import { secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * The GrowingIO Trigger's polls as n8n runs them for an active workflow (n8n-core PollContext),
 * against the sandbox over HTTP, with one clock for the node (luxon) and the sandbox that the
 * tests move forward: exactly-once delivery over many polls, catch-up after downtime, the cap
 * per poll, RUNNING → FINISHED, threshold edges, the daily digest, and manual mode.
 */

let clock = 0;
const setClock = (beijing: string) => (clock = DateTime.fromISO(beijing, { zone: 'Asia/Shanghai' }).toMillis());
const advance = (duration: { days?: number; hours?: number; minutes?: number }) => (clock = DateTime.fromMillis(clock).plus(duration).toMillis());

const sandboxes: Sandbox[] = [];
async function sandboxWith(options: Parameters<typeof startSandbox>[0] = {}) {
	const sandbox = await startSandbox({ quiet: true, now: () => clock, ...options });
	sandboxes.push(sandbox);
	return sandbox;
}

beforeAll(() => {
	Settings.now = () => clock;
});
afterAll(async () => {
	Settings.now = () => Date.now();
	await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

/** A trigger bound to one sandbox, active in one workflow. */
function trigger(sandbox: Sandbox, parameters: IDataObject) {
	const active = new ActiveTrigger(parameters, credentialsFor(tokenCredentials(sandbox)));
	const outputs: IDataObject[] = [];
	const poll = async (mode: 'trigger' | 'manual' = 'trigger') => {
		const before = sandbox.requests.length;
		let items: INodeExecutionData[] | null;
		try {
			items = await active.poll(mode);
		} catch (error) {
			for (const text of secretsOf(sandbox)) expect(JSON.stringify({ error, message: (error as Error).message, description: (error as { description?: string }).description })).not.toContain(text);
			throw error;
		}
		const json = (items ?? []).map((item) => item.json);
		for (const text of secretsOf(sandbox)) expect(JSON.stringify(items)).not.toContain(text);
		if (mode === 'trigger') outputs.push(...json);
		return { items, json, requests: sandbox.requests.slice(before).filter((r) => r.countsTowardLimit) };
	};
	/** The trigger's state (its node's static data) as the running workflow holds it. */
	const state = () => (active.live()['node:GrowingIO Trigger'] ?? {}) as IDataObject;
	return { poll, state, outputs, restart: () => active.restart() };
}

const exportKey = (item: IDataObject) => `${String(item.exportDate)} ${String(item.dataType)} ${String(item.status)}`;

/** Beijing days from `first` to `last` as yyyyMMdd. */
function days(first: string, last: string): string[] {
	const out: string[] = [];
	for (let day = DateTime.fromISO(first); day <= DateTime.fromISO(last); day = day.plus({ days: 1 })) out.push(day.toFormat('yyyyMMdd'));
	return out;
}

describe('Raw Export Ready', () => {
	const rawExport = (extra: IDataObject = {}) => ({ event: 'rawExportReady', dataTypes: ['custom_event', 'page'], exportType: 'day', ...extra });

	it('delivers every finished export exactly once, oldest first, over many polls', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll, outputs, restart } = trigger(sandbox, rawExport({ startFrom: 'custom', startDate: '2026-11-16' }));

		const first = await poll();
		// Days 16–19 are ready (each 2 h after its Beijing midnight); 20 is still running.
		expect(first.json.map(exportKey)).toEqual(days('2026-11-16', '2026-11-19').flatMap((day) => [`${day} custom_event FINISHED`, `${day} page FINISHED`]));
		for (const item of first.json) {
			// One date format: a plain date for the day, GrowingIO's code under exportDate, times ISO with offset.
			expect(item.period).toBe(`${String(item.exportDate).slice(0, 4)}-${String(item.exportDate).slice(4, 6)}-${String(item.exportDate).slice(6, 8)}`);
			expect(item.requestTime).toBe('2026-11-20T10:00:00+08:00');
			expect(item.fileCount).toBe(3);
			expect((item.files as IDataObject[]).map((file) => file.part)).toEqual([0, 1, 2]);
			expect((item.files as IDataObject[]).every((file) => String(file.url).startsWith(`${sandbox.url}/`))).toBe(true);
		}
		expect(first.requests).toHaveLength(8);

		// n8n restarts (the workflow is loaded from what it saved), then polls at the same time
		// again: nothing new, and nothing asked (today's day has not ended).
		restart();
		const again = await poll();
		expect(again.items).toBeNull();
		expect(again.requests).toHaveLength(0);

		// 01:00 the next day: day 20 has ended but is not produced yet — "not yet", not an error.
		setClock('2026-11-21T01:00');
		const early = await poll();
		expect(early.items).toBeNull();
		expect(early.requests).toHaveLength(2);

		setClock('2026-11-21T03:00');
		expect((await poll()).json.map(exportKey)).toEqual(['20261120 custom_event FINISHED', '20261120 page FINISHED']);
		restart(); // a later emit in the same session was saved too
		for (let i = 0; i < 3; i++) {
			advance({ minutes: 20 });
			expect((await poll()).items).toBeNull();
		}

		const keys = outputs.map(exportKey);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys).toHaveLength(10);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('a poll that starts while the last one still runs leaves the work to it: nothing twice', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll, outputs } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'custom', startDate: '2026-11-17' }));
		const [one, two] = await Promise.all([poll(), poll()]);
		expect([one.items === null, two.items === null].sort()).toEqual([false, true]);
		expect(outputs.map(exportKey)).toEqual(['20261117 visit FINISHED', '20261118 visit FINISHED', '20261119 visit FINISHED']);
	});

	it('catches up after downtime within Max Checks per Poll, oldest first', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-10T12:00');
		const { poll, outputs } = trigger(sandbox, rawExport({ startFrom: 'now', options: { maxChecks: 3 } }));
		// New Periods Only: the day in progress is the first one delivered.
		expect((await poll()).items).toBeNull();

		setClock('2026-11-14T12:00'); // n8n was down for four days
		const polls = [];
		for (let i = 0; i < 4; i++) polls.push(await poll());
		expect(polls.map((p) => p.requests.length)).toEqual([3, 3, 2, 0]);
		expect(polls.map((p) => p.json.length)).toEqual([3, 3, 2, 0]);
		expect(outputs.map(exportKey)).toEqual(days('2026-11-10', '2026-11-13').flatMap((day) => [`${day} custom_event FINISHED`, `${day} page FINISHED`]));
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('after more than 15 days down, says once which exports aged out, then catches up from the oldest kept', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-10-01T12:00');
		const { poll, outputs } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'now', options: { maxChecks: 2 } }));
		expect((await poll()).items).toBeNull();

		setClock('2026-10-25T12:00');
		const { json } = await poll();
		// Kept: from 15 days before today (Oct 10) on; Oct 1–9 are gone.
		expect(json[0]).toMatchObject({ status: 'EXPIRED', dataType: 'visit', exportDate: '20261001', lastExportDate: '20261009' });
		expect(String(json[0].message)).toMatch(/latest 15 days/);
		expect(json.slice(1).map(exportKey)).toEqual(['20261010 visit FINISHED', '20261011 visit FINISHED']);
		await poll();
		expect(outputs.filter((item) => item.status === 'EXPIRED')).toHaveLength(1);
	});

	it('waits while an hourly export is RUNNING or not produced yet, then delivers it once', async () => {
		const sandbox = await sandboxWith({ exportRunningMs: 10 * 60_000 });
		setClock('2026-11-20T09:05');
		const { poll, outputs } = trigger(sandbox, rawExport({ dataTypes: ['custom_event'], exportType: 'hour', startFrom: 'custom', startDate: '2026-11-20T08:00' }));

		const notProduced = await poll(); // 08:00–09:00 is ready at about 09:40
		expect(notProduced.items).toBeNull();
		expect(notProduced.requests).toHaveLength(1);

		setClock('2026-11-20T09:45');
		expect((await poll()).items).toBeNull(); // RUNNING now, for 10 minutes
		setClock('2026-11-20T09:50');
		expect((await poll()).items).toBeNull();
		setClock('2026-11-20T09:56');
		const ready = await poll();
		expect(ready.json.map(exportKey)).toEqual(['2026112008 custom_event FINISHED']);
		expect(ready.json[0]).toMatchObject({ exportType: 'hour', exportDate: '2026112008', period: '2026-11-20T08:00:00+08:00', fileCount: 1 });
		advance({ minutes: 1 });
		expect((await poll()).items).toBeNull();
		expect(outputs).toHaveLength(1);
	});

	it('reports an ERROR export once and goes on; NOT_EXISTS only after Give Up After', async () => {
		const sandbox = await sandboxWith({ disabledDataTypes: ['ads_track_click'] });
		setClock('2026-11-20T09:59');
		const errorDay = DateTime.fromMillis(clock, { zone: 'Asia/Shanghai' }).minus({ days: RAW_EXPORT_CASES.errorDaysAgo }).toFormat('yyyyMMdd');
		const { poll, outputs } = trigger(
			sandbox,
			rawExport({ dataTypes: [RAW_EXPORT_CASES.errorDataType, 'ads_track_click'], startFrom: 'custom', startDate: '2026-11-18', options: { giveUpHours: 30 } }),
		);
		const first = await poll();
		// ads_track_click is not enabled: within 4 h + 30 h of its usual ready time it is "not yet".
		expect(first.json.map(exportKey)).toEqual([`${errorDay} ${RAW_EXPORT_CASES.errorDataType} ERROR`, `20261119 ${RAW_EXPORT_CASES.errorDataType} FINISHED`]);
		expect(String(first.json[0].message)).toMatch(/failed to produce .*Get Download Links/);
		expect((await poll()).json.map(exportKey)).toEqual([]);

		setClock('2026-11-20T10:01'); // the 18th's usual ready time (19th 04:00) + 30 h has passed
		const givenUp = await poll();
		expect(givenUp.json.map(exportKey)).toEqual(['20261118 ads_track_click NOT_EXISTS']);
		expect(String(givenUp.json[0].message)).toMatch(/not be enabled/);
		expect(outputs.filter((item) => item.status !== 'FINISHED')).toHaveLength(2);
	});

	it('Fetch Test Event returns the newest finished export and moves no cursor', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll, state, outputs } = trigger(sandbox, rawExport({ dataTypes: ['page'], startFrom: 'custom', startDate: '2026-11-19' }));
		const manual = await poll('manual');
		expect(manual.json.map(exportKey)).toEqual(['20261119 page FINISHED']);
		expect(state()).toEqual({});

		expect((await poll()).json.map(exportKey)).toEqual(['20261119 page FINISHED']);
		const before = state();
		expect(before).not.toEqual({});
		expect((await poll('manual')).json.map(exportKey)).toEqual(['20261119 page FINISHED']);
		expect(state()).toEqual(before);
		expect((await poll()).items).toBeNull();
		expect(outputs).toHaveLength(1);
	});

	it('Download Files puts each part into binary data, decompressed on request', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'custom', startDate: '2026-11-19', download: true, options: { decompress: true } }));
		const { items } = await poll();
		const parts = items as INodeExecutionData[];
		expect(parts.map((item) => item.json.fileName)).toEqual(['visit_20261119_part-00000.csv', 'visit_20261119_part-00001.csv']);
		for (const item of parts) {
			const binary = item.binary?.data as IBinaryData;
			expect(binary.mimeType).toBe('text/csv');
			expect(item.json).toMatchObject({ status: 'FINISHED', dataType: 'visit', exportDate: '20261119', fileCount: 2 });
		}
		// What the links themselves serve, for comparison.
		const links = await pollTrigger({
			parameters: rawExport({ dataTypes: ['visit'], startFrom: 'custom', startDate: '2026-11-19' }),
			credentialsHelper: credentialsFor(tokenCredentials(sandbox)),
			mode: 'manual',
		});
		const files = (links?.[0].json.files ?? []) as IDataObject[];
		expect(files).toHaveLength(2);
		for (const [index, file] of files.entries()) {
			const served = gunzipSync(Buffer.from(await (await fetch(String(file.url))).arrayBuffer())).toString('utf8');
			// The in-process engine keeps binary data in memory (n8n's default mode): base64 in the item.
			const binary = parts[index].binary?.data as IBinaryData;
			expect(served.split('\n').length).toBeGreaterThan(2);
			expect(Buffer.from(binary.data, 'base64').toString('utf8')).toBe(served);
		}
	});

	it('New Periods Only: a restart before the first delivery still delivers the period in progress at activation', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll, outputs, restart } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'now' }));
		// Activation: the 20th is in progress; nothing to emit, so n8n saves no position.
		expect((await poll()).items).toBeNull();
		setClock('2026-11-20T23:00');
		restart();
		expect((await poll()).items).toBeNull();
		// The 20th has ended, its export is due at 04:00: n8n restarts with nothing saved.
		setClock('2026-11-21T01:00');
		restart();
		expect((await poll()).items).toBeNull();
		setClock('2026-11-21T03:00');
		restart();
		expect((await poll()).json.map(exportKey)).toEqual(['20261120 visit FINISHED']);
		restart();
		expect((await poll()).items).toBeNull();
		expect(outputs.map(exportKey)).toEqual(['20261120 visit FINISHED']);
	});

	it('New Periods Only: activated after midnight, the day just ended counts as new until its export is due', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-21T01:00');
		const { poll } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'now' }));
		expect((await poll()).items).toBeNull();
		setClock('2026-11-21T03:00');
		expect((await poll()).json.map(exportKey)).toEqual(['20261120 visit FINISHED']);
		// Hourly: 09:00–10:00 is due at 10:40, so at 10:20 it is new; 08:00–09:00 (due 09:40) is not.
		const hourly = trigger(sandbox, rawExport({ dataTypes: ['visit'], exportType: 'hour', startFrom: 'now' }));
		setClock('2026-11-21T10:20');
		await hourly.poll();
		setClock('2026-11-21T11:45');
		expect((await hourly.poll()).json.map(exportKey)).toEqual(['2026112109 visit FINISHED', '2026112110 visit FINISHED']);
	});

	it('New Periods Only: the gap left — restarted after an export was due, with nothing delivered yet, it starts after it', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll, outputs, restart } = trigger(sandbox, rawExport({ dataTypes: ['visit'], startFrom: 'now' }));
		expect((await poll()).items).toBeNull();
		// n8n is down from the evening until after the 20th's export was due (04:00).
		setClock('2026-11-21T04:30');
		restart();
		expect((await poll()).items).toBeNull();
		setClock('2026-11-22T03:00');
		await poll();
		expect(outputs.map(exportKey)).toEqual(['20261121 visit FINISHED']);
	});

	it('a bad First Period is an error naming it', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T10:00');
		const { poll } = trigger(sandbox, rawExport({ startFrom: 'custom', startDate: '2026-10-01' }));
		await expect(poll()).rejects.toThrow(/First Period 2026-10-01 00:00 is outside the latest 15 days/);
		const unknownType = trigger(sandbox, rawExport({ dataTypes: '={{ "custom_event,clicks" }}' }));
		await expect(unknownType.poll()).rejects.toThrow(/Data Types: "clicks" is not a GrowingIO raw-export data type/);
	});
});

describe('Metric Threshold', () => {
	const chart = CHARTS.find((c) => c.id === 'Lw3kP9sD')!;
	const METRIC = '访问用户量';
	/** Yesterday's value of the metric as the sandbox computes it, for the clock's day. */
	function yesterdayValue(): number {
		const today = DateTime.fromMillis(clock, { zone: 'Asia/Shanghai' }).startOf('day');
		const window = { startTime: today.minus({ days: 1 }).toMillis(), endTime: today.toMillis() - 1, interval: 86400000 };
		const report = buildChartReport(chart, window);
		const column = report.meta.findIndex((c) => c.name === METRIC);
		return Number(report.data[report.data.length - 1][column]);
	}
	const threshold = (condition: string, extra: IDataObject = {}) => ({
		event: 'metricThreshold',
		chartId: { __rl: true, mode: 'id', value: chart.id },
		metric: METRIC,
		timeRange: 'yesterday',
		interval: 'day',
		condition,
		...extra,
	});

	/** Polls twice a day for `count` days; returns each day's value and the items of its polls. */
	async function runDays(sandbox: Sandbox, parameters: IDataObject, count: number) {
		const { poll } = trigger(sandbox, parameters);
		const seen: Array<{ value: number; fired: IDataObject[] }> = [];
		setClock('2026-10-01T09:00');
		for (let day = 0; day < count; day++) {
			const value = yesterdayValue();
			const fired = [...(await poll()).json, ...(await poll()).json];
			seen.push({ value, fired });
			advance({ days: 1 });
		}
		return seen;
	}

	let values: number[];
	let limit: number;
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await sandboxWith({ requestsPerSecond: 2 });
		values = [];
		setClock('2026-10-01T09:00');
		for (let day = 0; day < 12; day++) {
			values.push(yesterdayValue());
			advance({ days: 1 });
		}
		limit = [...values].sort((a, b) => a - b)[6];
	});

	it('Is Above fires when the value goes above, once, and again only after it went back', async () => {
		const seen = await runDays(sandbox, threshold('above', { threshold: limit }), 12);
		const expected = values.map((value, i) => value > limit && (i === 0 || values[i - 1] <= limit));
		expect(seen.map((day) => day.fired.length)).toEqual(expected.map((fires) => (fires ? 1 : 0)));
		expect(expected.filter(Boolean).length).toBeGreaterThan(1); // the data really goes back and forth
		const firstFire = seen.find((day) => day.fired.length)!;
		expect(firstFire.fired[0]).toMatchObject({ event: 'metricThreshold', chartId: chart.id, metric: METRIC, value: firstFire.value, threshold: limit, conditionMet: true });
		expect((firstFire.fired[0].row as IDataObject)[METRIC]).toBe(firstFire.value);
	});

	it('Crosses fires on every crossing in either direction, with the previous value', async () => {
		const seen = await runDays(sandbox, threshold('crosses', { threshold: limit }), 12);
		// The last side the value was strictly on; the threshold itself (the median here, so one
		// day sits on it) is on neither side.
		let lastSide: string | undefined;
		const expected = values.map((value) => {
			const side = value > limit ? 'above' : value < limit ? 'below' : undefined;
			const fires = lastSide !== undefined && side !== undefined && side !== lastSide;
			lastSide = side ?? lastSide;
			return fires;
		});
		expect(values.filter((value) => value === limit)).toHaveLength(1);
		expect(expected.filter(Boolean).length).toBeGreaterThan(1); // the data really crosses, more than once
		expect(seen.map((day) => day.fired.length)).toEqual(expected.map((fires) => (fires ? 1 : 0)));
		expect(seen.flatMap((day) => day.fired)).toEqual(
			values.flatMap((value, i) => (expected[i] ? [expect.objectContaining({ value, previousValue: values[i - 1] })] : [])),
		);
	});

	it('Changes By More Than compares with the last alert, so a drift is caught once', async () => {
		const percent = 3;
		const seen = await runDays(sandbox, threshold('changesBy', { changePercent: percent }), 12);
		expect(seen.filter((day) => day.fired.length).length).toBeGreaterThan(1);
		let baseline = values[0];
		const expected = values.map((value, i) => {
			if (i === 0) return false;
			const fires = Math.abs(value - baseline) / Math.abs(baseline) * 100 > percent;
			if (fires) baseline = value;
			return fires;
		});
		expect(seen.map((day) => day.fired.length)).toEqual(expected.map((fires) => (fires ? 1 : 0)));
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('Fetch Test Event shows the current evaluation without arming the trigger', async () => {
		setClock('2026-10-05T09:00');
		const parameters = threshold('above', { threshold: Math.min(...values) - 1 });
		const { poll, state } = trigger(sandbox, parameters);
		const manual = await poll('manual');
		expect(manual.json).toHaveLength(1);
		expect(manual.json[0]).toMatchObject({ conditionMet: true, value: yesterdayValue() });
		expect(state()).toEqual({});
		expect((await poll()).json).toHaveLength(1); // still fires: the test did not count as an alert
	});

	it('skips polls while GrowingIO is finishing the previous day: no false alarm at night, no request, no state change', async () => {
		const nightly = await sandboxWith({ previousDayLagHours: 4 });
		const below = Math.min(...values) - 1;
		const { poll, state, outputs } = trigger(nightly, threshold('below', { threshold: below }));
		for (let night = 0; night < 5; night++) {
			const midnight = DateTime.fromISO('2026-10-02T00:00', { zone: 'Asia/Shanghai' }).plus({ days: night });
			for (const minutes of [30, 120, 350]) {
				clock = midnight.plus({ minutes }).toMillis();
				const before = state();
				const early = await poll();
				expect(early.items).toBeNull();
				expect(early.requests).toHaveLength(0);
				expect(state()).toEqual(before);
			}
			clock = midnight.plus({ hours: 6, minutes: 10 }).toMillis();
			const morning = await poll();
			expect(morning.requests).toHaveLength(1);
			expect(morning.items).toBeNull();
			expect((state().metricThreshold as IDataObject).lastValue).toBe(yesterdayValue());
		}
		expect(outputs).toHaveLength(0);
		// What GrowingIO shows at 00:30, and what the trigger skipped: the previous day at about half, below the threshold.
		setClock('2026-10-07T00:30');
		const sample = (await poll('manual')).json[0];
		expect(sample).toMatchObject({ dataComplete: false, conditionMet: true });
		expect(sample.value as number).toBeLessThan(below);
	});

	it.each(['America/Los_Angeles', 'UTC'])('in %s judges Yesterday only once GrowingIO has finished it: 06:00 Beijing time, 30 minutes after it ends', async (timezone) => {
		const nightly = await sandboxWith({ previousDayLagHours: 4 });
		const { poll } = trigger(nightly, threshold('changesBy', { timezone, changePercent: 1000 }));
		const requestsAt = async (beijing: string) => {
			setClock(beijing);
			return (await poll()).requests.length;
		};
		// At 05:50 Beijing yesterday in either timezone reaches into the Beijing day GrowingIO is finishing.
		expect(await requestsAt('2026-11-20T05:50')).toBe(0);
		expect(await requestsAt('2026-11-20T06:10')).toBe(1);
		// Yesterday in UTC ends at 08:00 Beijing time, in Los Angeles at 16:00.
		const end = timezone === 'UTC' ? '2026-11-21T08' : '2026-11-21T16';
		expect(await requestsAt(`${end}:10`)).toBe(0);
		expect(await requestsAt(`${end}:40`)).toBe(1);
	});

	it('with its defaults (Yesterday, Is Below 0) it does not fire at activation', async () => {
		setClock('2026-10-05T09:00');
		const { poll } = trigger(sandbox, { event: 'metricThreshold', chartId: { __rl: true, mode: 'id', value: chart.id } });
		const first = await poll();
		expect(first.requests).toHaveLength(1);
		expect(first.items).toBeNull();
		const sample = (await poll('manual')).json[0];
		expect(sample).toMatchObject({ condition: 'below', threshold: 0, metric: METRIC, value: yesterdayValue(), dataComplete: true });
		expect(String(sample.checkedAt)).toBe('2026-10-05T09:00:00+08:00');
	});

	it('Metric lists the chosen chart\'s metric columns, with the first metric as the empty choice', async () => {
		const parameters = threshold('above', { metric: '' });
		const metricsFor = async (chartId: IDataObject) =>
			await getChartMetrics.call(loadOptionsContext(triggerWorkflow(parameters), credentialsFor(tokenCredentials(sandbox)), TRIGGER_NODE, { ...parameters, chartId }));
		const before = sandbox.requests.length;
		const options = await metricsFor({ __rl: true, mode: 'id', value: chart.id });
		expect(options.map((option) => [option.name, option.value])).toEqual([
			[`First Metric (${METRIC})`, ''],
			...chart.metrics.map((m) => [m.name, m.name]),
		]);
		expect(sandbox.requests.slice(before).filter((r) => r.countsTowardLimit)).toHaveLength(1);
		const byUrl = await metricsFor({ __rl: true, mode: 'url', value: `${sandbox.url}/projects/${sandbox.project.uid}/chart/${chart.id}` });
		expect(byUrl).toEqual(options);
		await expect(metricsFor({ __rl: true, mode: 'id', value: '={{ $json.chart }}' })).rejects.toThrow(/needs a Chart chosen from the list/);
		// The list reloads when the chart changes.
		const metric = new GrowingIoTrigger().description.properties.find((p) => p.name === 'metric');
		expect(metric?.typeOptions).toMatchObject({ loadOptionsMethod: 'getChartMetrics', loadOptionsDependsOn: ['chartId.value'] });
	});

	it('a Threshold or Change (%) that is not a number in range is an error naming it and the range in words', async () => {
		setClock('2026-10-01T09:00');
		const text = trigger(sandbox, threshold('above', { threshold: '={{ "high" }}' }));
		await expect(text.poll()).rejects.toThrow(/^Threshold must be a number \(got "high"\)$/);
		const negative = trigger(sandbox, threshold('changesBy', { changePercent: -5 }));
		await expect(negative.poll()).rejects.toThrow(/^Change \(%\) must be a number of at least 0 \(got "-5"\)$/);
	});

	it('an unknown metric names the chart\'s columns', async () => {
		const { poll } = trigger(sandbox, threshold('above', { metric: '销售额' }));
		await expect(poll()).rejects.toThrow(/Metric "销售额" is not a column of chart "访问用户量趋势" \(Lw3kP9sD\)/);
	});
});

describe('Dashboard Digest Ready', () => {
	const dashboard = DASHBOARDS.find((d) => d.id === 'Rm5sQ9vK')!;
	const digest = { event: 'dashboardDigest', dashboardId: { __rl: true, mode: 'id', value: dashboard.id } };

	function yesterdayWindow() {
		const today = DateTime.fromMillis(clock, { zone: 'Asia/Shanghai' }).startOf('day');
		return { day: today.minus({ days: 1 }).toISODate(), window: { startTime: today.minus({ days: 1 }).toMillis(), endTime: today.toMillis() - 1 } };
	}

	it('sends yesterday\'s rows of every chart once a day, after Ready At', async () => {
		const sandbox = await sandboxWith();
		const { poll, state } = trigger(sandbox, digest);
		setClock('2026-11-20T05:30');
		const early = await poll();
		expect(early.items).toBeNull();
		expect(early.requests).toHaveLength(0);

		// Fetch Test Event works before Ready At and leaves the day unsent.
		const before = state();
		const manual = await poll('manual');
		expect(manual.json.length).toBeGreaterThan(0);
		expect(state()).toEqual(before);

		setClock('2026-11-20T06:10');
		const { day, window } = yesterdayWindow();
		const sent = await poll();
		const expected = dashboard.items.flatMap((id) => expectedDashboardRows(id, window)).map((row) => ({ digestDate: day, ...row }));
		expect(sent.json).toEqual(expected);
		expect(sent.requests).toHaveLength(1 + dashboard.items.length);

		setClock('2026-11-20T18:00');
		expect((await poll()).items).toBeNull();
		setClock('2026-11-21T06:00');
		const next = await poll();
		expect(next.json[0].digestDate).toBe('2026-11-20');
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('in another timezone waits for GrowingIO\'s Beijing day to be complete', async () => {
		const sandbox = await sandboxWith();
		const { poll } = trigger(sandbox, { ...digest, timezone: 'America/Los_Angeles' });
		// Los Angeles' 18 November ends at 16:00 on the 19th in Beijing: complete at 06:00 on the 20th.
		setClock('2026-11-20T05:30');
		expect((await poll()).items).toBeNull();
		setClock('2026-11-20T06:10');
		const sent = await poll();
		expect(new Set(sent.json.map((row) => row.digestDate))).toEqual(new Set(['2026-11-18']));
		// Times in the output are in the chosen timezone (GrowingIO's buckets are Beijing days).
		expect(String(sent.json[0]['时间'])).toMatch(/-08:00$/);
	});
});

describe('One completeness rule: Options → Exclude Incomplete Data in the GrowingIO node', () => {
	it.each([
		['America/Los_Angeles', '2026-11-20T05:59', '2026-11-18T07:59:59.999-08:00'],
		['America/Los_Angeles', '2026-11-20T06:01', '2026-11-18T23:59:59.999-08:00'],
		['UTC', '2026-11-20T05:59', '2026-11-18T15:59:59.999Z'],
		['UTC', '2026-11-20T06:01', '2026-11-18T23:59:59.999Z'],
	])('Yesterday in %s at %s Beijing time is asked up to %s', async (timezone, beijing, end) => {
		const sandbox = await sandboxWith();
		setClock(beijing);
		const { error } = await runGrowingIoNode(
			{ resource: 'chart', operation: 'getData', chartId: { __rl: true, mode: 'id', value: 'Lw3kP9sD' }, timeRange: 'yesterday', interval: 'day', options: { timezone, excludeIncompleteData: true } },
			{ credentials: tokenCredentials(sandbox) },
		);
		expect(error).toBeUndefined();
		const asked = sandbox.requests.find((request) => request.path.includes('/charts/'));
		expect(DateTime.fromMillis(Number(asked?.query.endTime), { zone: timezone }).toISO()).toBe(end);
	});

	it('Today before 06:00 Beijing time has no complete data: the error names Exclude Incomplete Data, and no request is sent', async () => {
		const sandbox = await sandboxWith();
		setClock('2026-11-20T05:00');
		const { error } = await runGrowingIoNode(
			{ resource: 'chart', operation: 'getData', chartId: { __rl: true, mode: 'id', value: 'Lw3kP9sD' }, timeRange: 'today', interval: 'day', options: { excludeIncompleteData: true } },
			{ credentials: tokenCredentials(sandbox) },
		);
		expect(error?.message).toMatch(/^Exclude Incomplete Data: GrowingIO has no complete data for this time range yet/);
		expect(sandbox.requests.filter((request) => request.path.includes('/charts/'))).toEqual([]);
	});
});

describe('The trigger in the editor', () => {
	const properties = new GrowingIoTrigger().description.properties;

	it('says below Poll Times that each poll spends the shared 2 requests per second, and that hourly suits daily data', () => {
		const notice = properties.find((p) => p.type === 'notice' && !p.displayOptions);
		expect(notice?.displayName).toMatch(/2 requests per second/);
		expect(notice?.displayName).toMatch(/Every hour suits daily exports/);
	});

	it('Dashboard Digest says how Ready At (Beijing time) and Timezone relate', () => {
		const digest = properties.filter((p) => p.displayOptions?.show?.event?.includes('dashboardDigest'));
		expect(digest.find((p) => p.type === 'notice')?.displayName).toMatch(/yesterday in the Timezone below .* Ready At, Beijing time/);
		expect(digest.find((p) => p.name === 'readyHour')?.hint).toMatch(/Beijing time, whatever the Timezone/);
	});

	it('Threshold has a description and Metric Threshold\'s defaults are Yesterday and Is Below', () => {
		const of = (name: string) => properties.find((p) => p.name === name && p.displayOptions?.show?.event?.includes('metricThreshold'));
		expect(of('threshold')?.description).toMatch(/compared with/);
		expect(of('timeRange')?.default).toBe('yesterday');
		expect(of('condition')?.default).toBe('below');
	});
});
