import { DateTime, Settings } from 'luxon';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { buildChartReport, CHARTS, findDashboard, type ChartDefinition } from '../../sandbox/data';
import type { RawDataType } from '../../sandbox/rawData';
import { exportDateDaysAgo } from '../../sandbox/rawExport';
import { signAuthToken, startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, growingIoWorkflow, runGrowingIoNode, startWorkflow } from '../helpers/harness';
import { expectedDashboardRows, expectedRows } from '../helpers/reportOracle';
import { secretLeaks, startFaultProxy, type FaultProxy } from '../helpers/reliability';
import { keyPairCredentials, secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * Faults injected while a multi-item workflow runs through n8n's engine against the sandbox over
 * HTTP. Each case asserts the exact output — every row of every input item, in order, paired
 * with its item, nothing lost and nothing twice — against what the sandbox's data gives without
 * faults (the report builders via reportOracle, or a fault-free run / the stored files of an
 * unlimited oracle sandbox for raw exports), that GrowingIO never saw more than 2 requests in
 * any second (except where the fault is a 429), and that no secret reached any output.
 * Single-item versions of these faults live in transport.test.ts and rawExport.test.ts.
 *
 * Report runs reach the sandbox through a transparent proxy (test/helpers/reliability.ts), which
 * adds the faults the sandbox cannot make: a response cut off mid-way, an answer without rows.
 *
 * Clocks: n8n's (luxon) is fixed to Wednesday 2026-11-18 10:15 Beijing time and runs on from
 * there; the raw-export sandboxes share it. The report sandbox keeps the real clock, because a
 * key-pair login signs the real time.
 */

const BASE = Date.parse('2026-11-18T10:15:00+08:00');
const started = Date.now();
const clock = () => BASE + (Date.now() - started);

let sandbox: Sandbox;
let proxy: FaultProxy;
let raw: Sandbox;
let oracle: Sandbox;

beforeAll(async () => {
	Settings.now = clock;
	[sandbox, raw, oracle] = await Promise.all([
		startSandbox({ quiet: true }),
		startSandbox({ quiet: true, now: clock }),
		startSandbox({ quiet: true, now: clock, requestsPerSecond: 0 }),
	]);
	proxy = await startFaultProxy(sandbox.url);
});
afterAll(async () => {
	Settings.now = () => Date.now();
	await Promise.all([proxy.close(), sandbox.close(), raw.close(), oracle.close()]);
});
beforeEach(() => {
	proxy.clear();
	for (const each of [sandbox, raw]) {
		each.clearFaults();
		each.resetRequests();
	}
});

const DAY = 86_400_000;
const WEEK = { timeRange: 'custom', startDate: '2026-11-01', endDate: '2026-11-07' };
const WEEK_WINDOW = { startTime: Date.parse('2026-11-01T00:00:00+08:00'), endTime: Date.parse('2026-11-07T23:59:59.999+08:00') };
const fromItem = (field: string) => ({ __rl: true, mode: 'id', value: `={{ $json.${field} }}` });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Six charts of five layouts (line, line by dimension, bar, table, big number), one with numeric strings. */
const CHART_IDS = ['Lw3kP9sD', 'Ld8vN2qZ', 'Hb5rT1xM', 'Tb9gH4jK', 'Bn6wF3aS', 'Ns7dQ2mX'];
const chartById = (id: string) => CHARTS.find((chart) => chart.id === id) as ChartDefinition;

const api = (on: Sandbox) => on.requests.filter((r) => r.countsTowardLimit);
const storage = (on: Sandbox) => on.requests.filter((r) => r.path.startsWith('/storage/'));
/** 429s the sandbox's own limiter gave (not injected ones). */
const overLimit = (on: Sandbox) => on.requests.filter((r) => r.status === 429 && !r.fault);

/** At most 2 requests in any 1 s window (what GrowingIO allows); says when they came otherwise. */
function expectWithinRateLimit(on: Sandbox) {
	const most = on.maxRequestsInAnyWindow(1000);
	if (most > 2) {
		const times = api(on).map((r) => r.arrivedAt);
		const gaps = times.slice(1).map((time, i) => Math.round(time - times[i]));
		throw new Error(`GrowingIO saw ${most} requests within one second; ms between arrivals: ${gaps.join(', ')}`);
	}
}

/** What a run output, as [input item, json] pairs in output order. */
function pairs(items: INodeExecutionData[]): Array<{ item: number; json: IDataObject }> {
	return items.map((item) => ({ item: (item.pairedItem as { item: number }).item, json: item.json }));
}

/** The rows Chart → Get Data gives for each chart of `ids` (one input item each), without faults. */
function expectedChartPairs(ids: string[]) {
	return ids.flatMap((id, item) => expectedRows(buildChartReport(chartById(id), { ...WEEK_WINDOW, interval: DAY })).map((json) => ({ item, json })));
}

/** The report sandbox's credentials, through the proxy. */
const viaProxy = (credentials: typeof tokenCredentials | typeof keyPairCredentials): ICredentialDataDecryptedObject => credentials(sandbox, { baseUrl: proxy.url });

async function readCharts(credentials: ICredentialDataDecryptedObject, options: IDataObject = {}, continueOnFail = false) {
	return await runGrowingIoNode(
		{ resource: 'chart', operation: 'getData', chartId: fromItem('chart'), ...WEEK, interval: 'day', options },
		{ credentials, input: CHART_IDS.map((chart) => ({ chart })), continueOnFail },
	);
}

function expectNoSecrets(result: { run: unknown; items?: unknown; error?: unknown }, ...on: Sandbox[]) {
	const secrets = [...new Set(on.flatMap((each) => secretsOf(each)))];
	expect(secretLeaks(result, secrets)).toEqual([]);
}

/** Every chart's rows, at GrowingIO's pace, with only the injected faults answered differently. */
function expectEveryChartRow(result: Awaited<ReturnType<typeof readCharts>>, faults: number) {
	expect(result.error).toBeUndefined();
	expect(pairs(result.items)).toEqual(expectedChartPairs(CHART_IDS));
	expect(sandbox.requests.filter((r) => r.fault)).toHaveLength(faults);
	expect(overLimit(sandbox)).toEqual([]);
	expectWithinRateLimit(sandbox);
	expectNoSecrets(result, sandbox);
}

describe('report faults during a 6-chart workflow (Chart → Get Data, one chart per item)', () => {
	it('a burst of 429s: every row of every chart once, the burst retried after Retry-After', async () => {
		const retryAfterMs = 1000;
		sandbox.injectFault({ kind: 'rate_limit', times: 3, retryAfterSeconds: retryAfterMs / 1000 });
		const result = await readCharts(viaProxy(tokenCredentials));
		expect(result.error).toBeUndefined();
		expect(pairs(result.items)).toEqual(expectedChartPairs(CHART_IDS));
		const refused = sandbox.requests.filter((r) => r.fault === 'rate_limit');
		expect(refused).toHaveLength(3);
		// The fault is a 429, so the window check is left out; GrowingIO's own limit was never hit.
		expect(overLimit(sandbox)).toEqual([]);
		for (const answer of refused) {
			// Each refused chart was asked again no earlier than its 429 plus Retry-After …
			const retry = api(sandbox).find((r) => r.path === answer.path && r.arrivedAt > answer.arrivedAt);
			expect(retry!.arrivedAt - answer.arrivedAt).toBeGreaterThanOrEqual(retryAfterMs - 5);
			// … and so was every other chart that was still waiting for its turn: nothing reached
			// GrowingIO during the pause except what was already on its way (within 50 ms).
			const duringPause = api(sandbox).filter((r) => r.arrivedAt - answer.arrivedAt > 50 && r.arrivedAt - answer.arrivedAt < retryAfterMs - 5);
			expect(duringPause.map((r) => `${r.path} ${Math.round(r.arrivedAt - answer.arrivedAt)} ms after the 429`)).toEqual([]);
		}
		expectNoSecrets(result, sandbox);
	});

	it('500 request_timeout on the 2nd and 4th chart: retried, every row once', async () => {
		sandbox.injectFault({ kind: 'request_timeout', path: CHART_IDS[1] });
		sandbox.injectFault({ kind: 'request_timeout', path: CHART_IDS[3] });
		expectEveryChartRow(await readCharts(viaProxy(tokenCredentials)), 2);
	});

	it('a connection reset in the middle of a response, on two charts: retried, every row once', async () => {
		proxy.inject({ kind: 'reset_mid_body', path: CHART_IDS[1] });
		proxy.inject({ kind: 'reset_mid_body', path: CHART_IDS[4] });
		const result = await readCharts(viaProxy(tokenCredentials));
		expect(proxy.faulted.map((fault) => fault.path)).toEqual([expect.stringContaining(CHART_IDS[1]), expect.stringContaining(CHART_IDS[4])]);
		// The sandbox answered all of them; two answers broke on the way.
		expectEveryChartRow(result, 0);
		expect(api(sandbox)).toHaveLength(CHART_IDS.length + 2);
	});

	it('a chart whose answers keep breaking mid-way: an error item that says so after Max Tries (Continue On Fail), the other charts every row', async () => {
		proxy.inject({ kind: 'reset_mid_body', path: CHART_IDS[3], times: 2 });
		const result = await readCharts(viaProxy(tokenCredentials), { maxTries: 2 }, true);
		const expected = expectedChartPairs(CHART_IDS);
		const failed = {
			item: 3,
			json: {
				error: 'The connection to GrowingIO broke after 2 tries (ERR_BAD_RESPONSE: the answer stopped part-way)',
				description: expect.stringMatching(/closed the connection before the answer was complete\. Try again later or raise Options → Max Tries/),
			},
		};
		expect(pairs(result.items)).toEqual([...expected.filter((row) => row.item < 3), failed, ...expected.filter((row) => row.item > 3)]);
		expect(proxy.faulted).toHaveLength(2);
		expectWithinRateLimit(sandbox);
		expectNoSecrets(result, sandbox);
	});

	it('a response slower than Options → Timeout: given up after 1 s, retried, every row once', async () => {
		sandbox.injectFault({ kind: 'slow', delayMs: 4000, path: CHART_IDS[2] });
		const result = await readCharts(viaProxy(tokenCredentials), { timeoutMs: 1000 });
		expectEveryChartRow(result, 1);
		// The slow answer was given up on, not waited for: the retry left before it could have come.
		const tries = api(sandbox).filter((r) => r.path.includes(CHART_IDS[2]));
		expect(tries).toHaveLength(2);
		expect(tries[1].arrivedAt - tries[0].arrivedAt).toBeLessThan(4000);
	});

	it('malformed (cut-off) JSON on the 3rd chart: retried, every row once', async () => {
		sandbox.injectFault({ kind: 'malformed_json', path: CHART_IDS[2] });
		expectEveryChartRow(await readCharts(viaProxy(tokenCredentials)), 1);
	});

	it('an HTML error page from a proxy (502) on the first and last chart: retried, every row once', async () => {
		sandbox.injectFault({ kind: 'html_error', path: CHART_IDS[0] });
		sandbox.injectFault({ kind: 'html_error', path: CHART_IDS[5] });
		expectEveryChartRow(await readCharts(viaProxy(tokenCredentials)), 2);
	});

	it('Key Pair: the code expires mid-run: n8n logs in once more and every row comes once', async () => {
		const before = sandbox.issuedCodes().length;
		sandbox.injectFault({ kind: 'expired_token', path: CHART_IDS[4] });
		const result = await readCharts(viaProxy(keyPairCredentials));
		expectEveryChartRow(result, 1);
		// The first login of this file, and one more after the code expired (concurrent 401s share it).
		expect(sandbox.issuedCodes().length - before).toBe(2);
		expect(sandbox.requests.filter((r) => r.path === '/auth/token')).toHaveLength(2);
	});

	it('Key Pair: another client logs in mid-run and so invalidates the code: n8n logs in again, every row once', async () => {
		const loginsBefore = sandbox.issuedCodes().length;
		const running = readCharts(viaProxy(keyPairCredentials));
		// Once three charts have been read, a script elsewhere logs in with the same key pair.
		for (const deadline = Date.now() + 15_000; api(sandbox).filter((r) => r.status === 200).length < 3 && Date.now() < deadline; ) await wait(10);
		const { uid, ai, publicKey, privateKey } = sandbox.project;
		const tm = Date.now();
		const login = await fetch(`${sandbox.url}/auth/token`, {
			method: 'POST',
			headers: { 'X-Client-Id': publicKey, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `project=${uid}&ai=${ai}&tm=${tm}&auth=${signAuthToken(privateKey, uid, ai, tm)}`,
		});
		expect(((await login.json()) as { status: string }).status).toBe('success');
		const otherClientCode = sandbox.issuedCodes().at(-1);

		const result = await running;
		expectEveryChartRow(result, 0);
		expect(api(sandbox).some((r) => r.status === 401)).toBe(true);
		// The node logged in again after the other client, and the other client's code is nowhere.
		expect(sandbox.issuedCodes().length - loginsBefore).toBe(2);
		expect(sandbox.issuedCodes().at(-1)).not.toBe(otherClientCode);
	});
});

describe('empty data', () => {
	it('a dashboard without charts gives no rows for its item; the other dashboard every row', async () => {
		const ids = ['Wk4rT8yU', 'Em0pTy4B'];
		const result = await runGrowingIoNode(
			{ resource: 'dashboard', operation: 'getData', dashboardId: fromItem('dashboard'), ...WEEK, interval: 'day' },
			{ credentials: viaProxy(tokenCredentials), input: ids.map((dashboard) => ({ dashboard })) },
		);
		expect(result.error).toBeUndefined();
		const expected = ids.flatMap((id, item) => findDashboard(id)!.items.flatMap((chart) => expectedDashboardRows(chart, WEEK_WINDOW)).map((json) => ({ item, json })));
		expect(expected.filter((row) => row.item === 1)).toEqual([]);
		expect(expected.length).toBeGreaterThan(10);
		expect(pairs(result.items)).toEqual(expected);
		expectWithinRateLimit(sandbox);
		expectNoSecrets(result, sandbox);
	});

	it('a chart whose answer has no rows gives no items for that input item, and never a half-empty item', async () => {
		// The sandbox always has rows; a bar chart by city with no visits in the range answers like this.
		proxy.inject({ kind: 'rewrite', path: CHART_IDS[2], rewrite: (body) => JSON.stringify({ ...JSON.parse(body), data: [] }) });
		const result = await readCharts(viaProxy(tokenCredentials));
		expect(result.error).toBeUndefined();
		expect(pairs(result.items)).toEqual(expectedChartPairs(CHART_IDS).filter((row) => row.item !== 2));
		expectWithinRateLimit(sandbox);
		expectNoSecrets(result, sandbox);
	});
});

describe('200,000 rows', () => {
	/**
	 * reportOracle's expectedRows for Beijing time, with the ISO time written directly (+08:00,
	 * no daylight saving since 1991): the same rows, fast enough for 200,000 of them.
	 */
	function beijingRows(report: ReturnType<typeof buildChartReport>): IDataObject[] {
		return report.data.map((row) => {
			const json: IDataObject = {};
			report.meta.forEach((column, i) => {
				const cell = row[i];
				if (column.name === '时间') {
					json[column.name] = new Date(Number(cell) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
					json[`${column.name} (ms)`] = Number(cell);
				} else json[column.name] = column.metric && typeof cell === 'string' ? Number(cell) : cell;
			});
			return json;
		});
	}

	/** The first row that differs (compared as JSON, which jest's deep equality is too slow for here). */
	function firstDifference(got: IDataObject[], expected: IDataObject[]) {
		if (got.length !== expected.length) return { gotRows: got.length, expectedRows: expected.length };
		const index = got.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(expected[i]));
		return index < 0 ? undefined : { index, got: got[index], expected: expected[index] };
	}

	it('one report of exactly 200,000 rows (GrowingIO\'s cap) beside a small one: every row once, paired with its item', async () => {
		// Pc25kXw8 has 25 rows a day: 8,000 days are 200,000 rows; Lw3kP9sD one a day: 8 days.
		const range = (start: string, days: number) => ({ start, end: DateTime.fromISO(start).plus({ days: days - 1 }).toISODate()! });
		const asked = [
			{ chart: 'Pc25kXw8', ...range('2004-11-01', 8000) },
			{ chart: 'Lw3kP9sD', ...range('2026-11-01', 8) },
		];
		const result = await runGrowingIoNode(
			{ resource: 'chart', operation: 'getData', chartId: fromItem('chart'), timeRange: 'custom', startDate: '={{ $json.start }}', endDate: '={{ $json.end }}', interval: 'day' },
			{ credentials: viaProxy(tokenCredentials), input: asked },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(200_008);
		const window = (start: string, end: string) => ({ startTime: Date.parse(`${start}T00:00:00+08:00`), endTime: Date.parse(`${end}T23:59:59.999+08:00`) });
		const expected = asked.flatMap(({ chart, start, end }, item) =>
			beijingRows(buildChartReport(chartById(chart), { ...window(start, end), interval: DAY })).map((json) => ({ item, json })),
		);
		expect(expected).toHaveLength(200_008);
		expect(firstDifference(pairs(result.items), expected)).toBeUndefined();
		// The oracle agrees with reportOracle's rows where both are cheap to compare.
		expect(expected.slice(-8).map((row) => row.json)).toEqual(expectedRows(buildChartReport(chartById('Lw3kP9sD'), { ...window(asked[1].start, asked[1].end), interval: DAY })));
		expect(api(sandbox)).toHaveLength(2);
		expectWithinRateLimit(sandbox);
		// The items are inside the run: scan them once.
		expectNoSecrets({ run: result.run, error: result.error }, sandbox);
	}, 120_000);
});

describe('raw export faults during a 3-item workflow', () => {
	const daysAgo = (days: number) => exportDateDaysAgo(clock(), days);
	/** One export per item: a data type and a day, each with 2–3 part files. */
	const exportsAsked = (): Array<{ type: RawDataType; date: string }> => [
		{ type: 'custom_event', date: daysAgo(1) },
		{ type: 'page', date: daysAgo(3) },
		{ type: 'action', date: daysAgo(4) },
	];
	const byItem = { dataTypes: '={{ $json.type }}', exportType: 'day', dateRange: 'custom', startDate: '={{ $json.date }}' };

	async function oracleParts(dataType: string, date: string): Promise<Buffer[]> {
		const response = await fetch(`${oracle.url}/v2/insights/day/${dataType}/${oracle.project.ai}/${date}.json`, { headers: { Authorization: oracle.apiToken } });
		const body = (await response.json()) as { status: string; downloadLinks: string[] };
		if (body.status !== 'FINISHED') throw new Error(`oracle: ${dataType} ${date} is ${body.status}`);
		return await Promise.all(body.downloadLinks.map(async (link) => Buffer.from(await (await fetch(link)).arrayBuffer())));
	}

	it('a truncated part, twice (Get Rows): every row of every file once, none from the broken downloads', async () => {
		const parameters = { resource: 'rawExport', operation: 'getRows', ...byItem, returnAll: true, options: { includeFileInfo: true } };
		const input = exportsAsked();
		raw.injectFault({ kind: 'truncated_download', times: 2, path: 'part-00001' });
		// The fault-free reference runs at the same time, on the unlimited oracle sandbox (same data).
		const [reference, result] = await Promise.all([
			runGrowingIoNode(parameters, { credentials: tokenCredentials(oracle), input }),
			runGrowingIoNode(parameters, { credentials: tokenCredentials(raw), input }),
		]);
		expect(reference.error).toBeUndefined();
		expect(reference.items.length).toBeGreaterThan(300);
		expect(result.error).toBeUndefined();
		expect(pairs(result.items)).toEqual(pairs(reference.items));
		expect(storage(raw).filter((r) => r.fault === 'truncated_download')).toHaveLength(2);
		// 9 parts, 2 of them downloaded again with fresh links (a links request each).
		expect(storage(raw)).toHaveLength(9 + 2);
		expect(api(raw)).toHaveLength(3 + 2);
		expectWithinRateLimit(raw);
		expectNoSecrets(result, raw, oracle);
	});

	it('storage links that expire before the download (Download): fresh links, every file byte for byte, once', async () => {
		// This GrowingIO's clock jumps 61 minutes ahead once the first download arrives, so the
		// 60-minute links it has handed out so far are expired by then.
		let expiring: Sandbox | undefined;
		const downloadsStarted = () => expiring?.requests.some((r) => r.path.startsWith('/storage/')) ?? false;
		expiring = await startSandbox({ quiet: true, now: () => clock() + (downloadsStarted() ? 61 * 60_000 : 0) });
		try {
			const input = [
				{ type: 'evar', date: daysAgo(1) },
				{ type: 'pvar', date: daysAgo(1) },
				{ type: 'custom_event', date: daysAgo(2) },
			];
			const result = await runGrowingIoNode(
				{ resource: 'rawExport', operation: 'download', ...byItem },
				{ credentials: tokenCredentials(expiring), input },
			);
			expect(result.error).toBeUndefined();
			const expected: Array<{ item: number; json: IDataObject; bytes: Buffer }> = [];
			for (const [item, { type, date }] of input.entries()) {
				(await oracleParts(type, date)).forEach((bytes, part) =>
					expected.push({ item, bytes, json: { dataType: type, exportType: 'day', exportDate: date, part, fileName: `${type}_${date}_part-0000${part}.csv.gz` } }),
				);
			}
			expect(pairs(result.items)).toEqual(expected.map(({ item, json }) => ({ item, json })));
			result.items.forEach((item, index) => expect(Buffer.from(item.binary!.data.data, 'base64').equals(expected[index].bytes)).toBe(true));
			const refused = storage(expiring).filter((r) => r.status === 403);
			expect(refused.length).toBeGreaterThanOrEqual(1);
			expect(storage(expiring).filter((r) => r.status === 200)).toHaveLength(expected.length);
			expect(storage(expiring).every((r) => !r.hadAuthorization)).toBe(true);
			expectWithinRateLimit(expiring);
			expectNoSecrets(result, expiring, oracle);
		} finally {
			await expiring.close();
		}
	});

	describe('an export stuck RUNNING past Max Wait', () => {
		// GrowingIO takes an hour for every export here. The older day was asked an hour ago
		// (its clock is then moved on), so it is FINISHED; the newer days stay RUNNING.
		let stuck: Sandbox;
		let moved = 0;
		const input = () => [
			{ start: daysAgo(3), end: daysAgo(3) }, // finished
			{ start: daysAgo(3), end: daysAgo(2) }, // finished, then stuck
			{ start: daysAgo(1), end: daysAgo(1) }, // stuck
		];
		const parameters = (options: IDataObject) => ({
			resource: 'rawExport',
			operation: 'getDownloadLinks',
			dataTypes: ['evar'],
			exportType: 'day',
			dateRange: 'custom',
			startDate: '={{ $json.start }}',
			endDate: '={{ $json.end }}',
			options: { maxWaitSeconds: 1, ...options },
		});
		const finishedLinks = async (item: number) =>
			(await oracleParts('evar', daysAgo(3))).map((_, part) => ({
				item,
				json: expect.objectContaining({ dataType: 'evar', exportDate: daysAgo(3), part, url: expect.stringContaining(`${stuck.url}/storage/`) }),
			}));

		beforeAll(async () => {
			stuck = await startSandbox({ quiet: true, now: () => clock() + moved, exportRunningMs: 3_600_000 });
			const first = await fetch(`${stuck.url}/v2/insights/day/evar/${stuck.project.ai}/${daysAgo(3)}.json`, { headers: { Authorization: stuck.apiToken } });
			expect(((await first.json()) as { status: string }).status).toBe('RUNNING');
			moved = 3_601_000;
			await wait(1100);
		});
		afterAll(async () => await stuck.close());
		beforeEach(() => stuck.resetRequests());

		it('is a clear error for the items that need it (Continue On Fail), with no links of their finished days', async () => {
			const result = await runGrowingIoNode(parameters({}), { credentials: tokenCredentials(stuck), input: input(), continueOnFail: true });
			const stillRunning = (date: string) => ({
				error: expect.stringMatching(new RegExp(`^GrowingIO is still preparing the evar day export for ${date.replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3')} \\(Beijing time\\) after \\d+ s \\(RUNNING\\)$`)),
				description: expect.stringMatching(/Raise Options → Max Wait.*Skip Unavailable Periods/),
			});
			expect(pairs(result.items)).toEqual([...(await finishedLinks(0)), { item: 1, json: stillRunning(daysAgo(2)) }, { item: 2, json: stillRunning(daysAgo(1)) }]);
			expectWithinRateLimit(stuck);
			expectNoSecrets(result, stuck);
		});

		it('Stop execution while it waits for a RUNNING export ends the node within 2 s, with no further request', async () => {
			const execution = startWorkflow({
				workflow: growingIoWorkflow(parameters({ maxWaitSeconds: 20 })),
				credentialsHelper: credentialsFor(tokenCredentials(stuck)),
				input: [{ json: { start: daysAgo(1), end: daysAgo(1) } }],
			});
			// Asked at 0, 2 s and 6 s, each answered RUNNING; the next poll would be 8 s later.
			const running = () => api(stuck).filter((r) => r.status === 200);
			for (const deadline = Date.now() + 15_000; running().length < 3 && Date.now() < deadline; ) await wait(5);
			expect(running()).toHaveLength(3);
			await wait(200);
			const stoppedAt = performance.timeOrigin + performance.now();
			execution.stop();
			await execution.done;
			expect(performance.timeOrigin + performance.now() - stoppedAt).toBeLessThan(2000);
			expect(api(stuck).filter((r) => r.arrivedAt >= stoppedAt)).toEqual([]);
			expect(api(stuck)).toHaveLength(3);
		});

		it('is left out with Skip Unavailable Periods: the finished days\' links only', async () => {
			const result = await runGrowingIoNode(parameters({ skipUnavailable: true }), { credentials: tokenCredentials(stuck), input: input() });
			expect(result.error).toBeUndefined();
			expect(pairs(result.items)).toEqual([...(await finishedLinks(0)), ...(await finishedLinks(1))]);
			expectWithinRateLimit(stuck);
			expectNoSecrets(result, stuck);
		});
	});
});
