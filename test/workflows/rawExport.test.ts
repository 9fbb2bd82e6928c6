import { DateTime, Settings } from 'luxon';
import type { IBinaryData, IDataObject, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';
import { gunzipSync } from 'zlib';

import { RAW_COLUMNS, RAW_DATA_TYPES, type RawDataType } from '../../sandbox/rawData';
import { RAW_EXPORT_CASES, exportDateDaysAgo } from '../../sandbox/rawExport';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, growingIoWorkflow, nodeResult, runWorkflow } from '../helpers/harness';
import { secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * Raw Export (原始数据导出) through n8n's engine against the sandbox over HTTP. The clock is fixed
 * for the node (luxon) and the sandbox alike — 2024-05-21 10:00 Beijing time when the file starts,
 * running on in real time — so "yesterday", the 15-day window and the sandbox's special days
 * (ERROR two days ago) are the same for both. Expected files come from a second sandbox without a
 * rate limit (the same seeded data), parsed here by an independent reader of GrowingIO's dialect.
 */

const BASE = Date.UTC(2024, 4, 21, 2, 0);
const started = Date.now();
const clock = () => BASE + (Date.now() - started);

let sandbox: Sandbox;
let oracle: Sandbox;

beforeAll(async () => {
	Settings.now = clock;
	sandbox = await startSandbox({ quiet: true, now: clock });
	oracle = await startSandbox({ quiet: true, now: clock, requestsPerSecond: 0 });
});
afterAll(async () => {
	Settings.now = () => Date.now();
	await Promise.all([sandbox.close(), oracle.close()]);
});
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const daysAgo = (days: number) => exportDateDaysAgo(clock(), days);
const YESTERDAY = () => daysAgo(1);

type Parameters = IDataObject;

async function run(parameters: Parameters, options: { on?: Sandbox; input?: INodeExecutionData[]; continueOnFail?: boolean; timezone?: string } = {}) {
	const target = options.on ?? sandbox;
	const workflow = growingIoWorkflow({ resource: 'rawExport', ...parameters }, options.continueOnFail ? { onError: 'continueRegularOutput' } : {}) as IWorkflowBase;
	if (options.timezone) workflow.settings = { ...workflow.settings, timezone: options.timezone };
	const result = await runWorkflow({ workflow, credentialsHelper: credentialsFor(tokenCredentials(target)), input: options.input });
	return { run: result, ...nodeResult(result) };
}

const api = (on = sandbox) => on.requests.filter((r) => r.countsTowardLimit);
const storage = (on = sandbox) => on.requests.filter((r) => r.path.startsWith('/storage/'));

/** The part files of an export as the (unlimited) oracle sandbox serves them. */
async function oracleParts(exportType: 'day' | 'hour', dataType: RawDataType, date: string): Promise<Buffer[]> {
	const response = await fetch(`${oracle.url}/v2/insights/${exportType}/${dataType}/${oracle.project.ai}/${date}.json`, { headers: { Authorization: oracle.apiToken } });
	const body = (await response.json()) as { status: string; downloadLinks: string[] };
	if (body.status !== 'FINISHED') throw new Error(`oracle: ${dataType} ${date} is ${body.status}`);
	return await Promise.all(body.downloadLinks.map(async (link) => Buffer.from(await (await fetch(link)).arrayBuffer())));
}

/** GrowingIO's dialect read character by character: `,` `"` and `\` escapes, `\n` rows. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '\\') field += text[++i];
			else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += char;
	}
	if (field || row.length) rows.push([...row, field]);
	return rows;
}

const MAP_COLUMNS = ['appVariable', 'eventVariable', 'pageVariable', 'conversionVariable', 'visitorVariable', 'adsVariable'];
const TIME_COLUMNS = ['time', 'sendTime', 'pageTime', 'eventTime'];
const NUMBER_COLUMNS = ['eventNumber', 'index', 'screenHeight', 'screenWidth', 'latitude', 'longitude'];

/** The sandbox's arrow-form map cells, one entry each: `{"city"->"beijing"}`. */
const ARROW_MAP = /^\{"([^"]*)"->"([^"]*)"\}$/;

/** How Get Rows writes times: ISO in a timezone beside the ms (the default), or the ms alone. */
type Times = { timezone: string } | 'ms';

/**
 * What Get Rows should output for a CSV text: empty → null, numbers, maps as objects (JSON or
 * arrow form), times as luxon's ISO in the timezone with `<name> (ms)` beside them.
 */
function expectedRows(csv: string, times: Times = { timezone: 'Asia/Shanghai' }): IDataObject[] {
	const [header, ...rows] = parseCsv(csv);
	return rows.map((row) =>
		Object.fromEntries(
			header.flatMap((column, i) => {
				const text = row[i];
				if (TIME_COLUMNS.includes(column)) {
					const ms = text === '' ? null : Number(text);
					if (times === 'ms') return [[column, ms]];
					const iso = ms === null ? null : DateTime.fromMillis(ms, { zone: times.timezone }).toISO();
					return [[column, iso], [`${column} (ms)`, ms]];
				}
				if (text === '') return [[column, null]];
				if (NUMBER_COLUMNS.includes(column)) return [[column, Number(text)]];
				if (MAP_COLUMNS.includes(column)) {
					const arrow = ARROW_MAP.exec(text);
					return [[column, arrow ? { [arrow[1]]: arrow[2] } : JSON.parse(text)]];
				}
				return [[column, text]];
			}),
		),
	);
}

async function expectedRowsOf(exportType: 'day' | 'hour', dataType: RawDataType, date: string, times?: Times): Promise<IDataObject[]> {
	const parts = await oracleParts(exportType, dataType, date);
	return parts.flatMap((gz) => expectedRows(gunzipSync(gz).toString('utf8'), times));
}

/** The output keys of a data type's rows: its columns, each time column followed by its (ms). */
const outputKeys = (dataType: RawDataType) => RAW_COLUMNS[dataType].flatMap((column) => (TIME_COLUMNS.includes(column) ? [column, `${column} (ms)`] : [column]));

function binaryOf(item: INodeExecutionData, field = 'data'): { meta: IBinaryData; bytes: Buffer } {
	const meta = item.binary![field];
	return { meta, bytes: Buffer.from(meta.data, 'base64') };
}

const links = (parameters: Parameters = {}) => ({ operation: 'getDownloadLinks', dataTypes: ['custom_event'], exportType: 'day', dateRange: 'yesterday', ...parameters });
const download = (parameters: Parameters = {}) => ({ ...links(), operation: 'download', ...parameters });
const rows = (parameters: Parameters = {}) => ({ ...links(), operation: 'getRows', returnAll: true, ...parameters });

describe('Raw Export → Get Download Links', () => {
	it('lists one item per part file with its type, date, part, link and expiry', async () => {
		const { json, items, error } = await run(links());
		expect(error).toBeUndefined();
		expect(json).toHaveLength(3);
		const expiresAt = new Date(clock() + 60 * 60000);
		json.forEach((item, part) => {
			expect(item).toEqual({
				dataType: 'custom_event',
				exportType: 'day',
				exportDate: YESTERDAY(),
				part,
				fileName: `custom_event_${YESTERDAY()}_part-0000${part}.csv.gz`,
				url: expect.stringMatching(new RegExp(`^${sandbox.url}/storage/.+/part-0000${part}\\.gz\\?expires=`)),
				expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
				requestTime: expect.stringMatching(/^2024-05-21 10:0\d$/),
			});
			expect(Math.abs(Date.parse(item.expiresAt as string) - expiresAt.getTime())).toBeLessThan(5000);
		});
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(api().map((r) => [r.path, r.query])).toEqual([
			[`/v2/insights/day/custom_event/${sandbox.project.ai}/${YESTERDAY()}0000.json`, { expire: '60' }],
		]);
	});

	it('asks the all-types link once per period and lists the files of every data type', async () => {
		const { json, error } = await run(links({ allDataTypes: true, options: { expireMinutes: 5 } }));
		expect(error).toBeUndefined();
		expect([...new Set(json.map((item) => item.dataType))]).toEqual([
			'visit', 'page', 'action', 'action_tag', 'custom_event', 'ads_track_activation', 'ads_track_click', 'pvar', 'evar', 'vstr',
		]);
		expect(json.filter((item) => item.dataType === 'page').map((item) => item.part)).toEqual([0, 1, 2]);
		expect(api().map((r) => [r.path, r.query])).toEqual([[`/v2/insights/day/${sandbox.project.ai}/${YESTERDAY()}0000.json`, { expire: '5' }]]);
	});

	it('asks one hour at a time for an hourly range, within GrowingIO\'s 2 requests per second', async () => {
		const day = YESTERDAY();
		const { json, error } = await run(links({ exportType: 'hour', dateRange: 'custom', startDate: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T08:00:00`, endDate: `${day}11`, dataTypes: ['page', 'visit'] }));
		expect(error).toBeUndefined();
		expect(json.map((item) => `${item.exportDate} ${item.dataType} ${item.part}`)).toEqual(
			['08', '09', '10', '11'].flatMap((hour) => [`${day}${hour} page 0`, `${day}${hour} visit 0`]),
		);
		expect(api()).toHaveLength(8);
		expect(api()[0].path).toBe(`/v2/insights/hour/page/${sandbox.project.ai}/${day}0800.json`);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		expect(api().every((r) => r.status === 200)).toBe(true);
	});

	it('covers "yesterday, all 24 hours" for hourly exports and the last N days for daily ones', async () => {
		const hourly = await run(links({ exportType: 'hour', dataTypes: ['action_tag'] }));
		expect(hourly.json.map((item) => item.exportDate)).toEqual(Array.from({ length: 24 }, (_, h) => `${YESTERDAY()}${String(h).padStart(2, '0')}`));
		const daily = await run(links({ dateRange: 'lastDays', days: 3, dataTypes: ['evar'] }));
		expect([...new Set(daily.json.map((item) => item.exportDate))]).toEqual([daysAgo(3), daysAgo(2), daysAgo(1)]);
	}, 60000);

	it('reads dates as Beijing time whatever the workflow\'s timezone', async () => {
		const day = YESTERDAY();
		const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
		const wallClock = await run(links({ dateRange: 'custom', startDate: iso }), { timezone: 'America/Los_Angeles' });
		expect(wallClock.json[0].exportDate).toBe(day);
		// 18:00 UTC the day before is 02:00 Beijing time on `day`
		const previous = new Date(Date.parse(`${iso}T02:00:00+08:00`)).toISOString();
		expect(previous).toMatch(/T18:00:00\.000Z$/);
		const instant = await run(links({ exportType: 'hour', dateRange: 'custom', startDate: previous, dataTypes: ['vstr'] }), { timezone: 'America/Los_Angeles' });
		expect(instant.json.map((item) => item.exportDate)).toEqual([`${day}02`]);
	});

	it('waits while the export is RUNNING and returns the links once it is FINISHED', async () => {
		const slow = await startSandbox({ quiet: true, now: clock, exportRunningMs: 3000 });
		try {
			const began = Date.now();
			const { json, error } = await run(links(), { on: slow });
			expect(error).toBeUndefined();
			expect(json).toHaveLength(3);
			expect(Date.now() - began).toBeGreaterThanOrEqual(3000);
			const statuses = api(slow).map((r) => r.path);
			expect(statuses.length).toBeGreaterThanOrEqual(3);
			expect(new Set(statuses).size).toBe(1);
			expect(slow.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
		} finally {
			await slow.close();
		}
	});

	it('says the export is still running when Wait for Completion is off, or gives up after Max Wait', async () => {
		const slow = await startSandbox({ quiet: true, now: clock, exportRunningMs: 60000 });
		try {
			const off = await run(links({ options: { waitForCompletion: false } }), { on: slow });
			expect(off.error?.message).toBe(`GrowingIO is still preparing the custom_event day export for ${daysAgo(1).replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3')} (Beijing time) (RUNNING)`);
			expect(off.error?.description).toMatch(/Wait for Completion/);
			const capped = await run(links({ dataTypes: ['page'], options: { maxWaitSeconds: 3 } }), { on: slow });
			expect(capped.error?.message).toMatch(/still preparing the page day export .* after 3 s \(RUNNING\)/);
			expect(capped.error?.description).toMatch(/Max Wait/);
			const skipped = await run(links({ dataTypes: ['visit'], options: { waitForCompletion: false, skipUnavailable: true } }), { on: slow });
			expect(skipped.error).toBeUndefined();
			expect(skipped.json).toEqual([]);
		} finally {
			await slow.close();
		}
	});

	it('turns NOT_EXISTS for a day not produced yet into an error that says when it will be ready', async () => {
		const { error } = await run(links({ dateRange: 'custom', startDate: daysAgo(0) }));
		expect(error?.message).toMatch(/^GrowingIO has no custom_event day export for 2024-05-21 \(Beijing time\) \(NOT_EXISTS: the day export for 20240521 has not been produced yet/);
		expect(error?.description).toMatch(/not produced yet: GrowingIO should have them by about 2024-05-22 04:00 Beijing time/);
		expect(error?.description).toMatch(/Skip Unavailable Periods/);
		const skipped = await run(links({ dateRange: 'custom', startDate: daysAgo(1), endDate: daysAgo(0), options: { skipUnavailable: true } }));
		expect(skipped.error).toBeUndefined();
		expect(skipped.json.map((item) => item.exportDate)).toEqual([YESTERDAY(), YESTERDAY(), YESTERDAY()]);
	});

	it('explains NOT_EXISTS for a past day as export not enabled or outside the window', async () => {
		// GrowingIO's clock is 3 days ahead of n8n's: for it, 14 days ago (by n8n) is out of its window.
		const ahead = await startSandbox({ quiet: true, now: () => clock() + 3 * 86400000 });
		try {
			const { error } = await run(links({ dateRange: 'custom', startDate: daysAgo(14) }), { on: ahead });
			expect(error?.message).toMatch(/NOT_EXISTS: export_date \d{8} is older than 15 days/);
			expect(error?.description).toMatch(/may not be enabled for this project \(it is a paid feature/);
		} finally {
			await ahead.close();
		}
	});

	it('turns ERROR into an error with GrowingIO\'s message, for one type and for the all-types form', async () => {
		const date = daysAgo(RAW_EXPORT_CASES.errorDaysAgo);
		const one = await run(links({ dateRange: 'custom', startDate: date, dataTypes: [RAW_EXPORT_CASES.errorDataType] }));
		expect(one.error?.message).toMatch(/^GrowingIO failed to produce the ads_track_activation day export for .* \(ERROR: export of ads_track_activation for \d{8} failed: task aborted, please retry later\)$/);
		expect(one.error?.description).toMatch(/try again later, about 5 minutes apart/);
		const all = await run(links({ dateRange: 'custom', startDate: date, allDataTypes: true }));
		expect(all.error?.message).toMatch(/^GrowingIO failed to produce the all-types day export/);
		const skipped = await run(links({ dateRange: 'custom', startDate: date, dataTypes: ['visit', RAW_EXPORT_CASES.errorDataType], options: { skipUnavailable: true } }));
		expect(skipped.json.map((item) => item.dataType)).toEqual(['visit', 'visit']);
	});

	it.each([
		[{ dateRange: 'custom', startDate: '2024-05-05' }, /^Start: 2024-05-05 is older than 15 days: GrowingIO keeps raw data for the latest 15 days only \(the earliest day now is 2024-05-06/, 'Start'],
		[{ dateRange: 'custom', startDate: '2024-05-20', endDate: '2024-05-22' }, /^End: 2024-05-22 is in the future/, 'End'],
		[{ dateRange: 'custom', startDate: '2024-05-22T09:00:00', exportType: 'hour' }, /^Start: 2024-05-22 09:00 is in the future/, 'Start'],
		[{ dateRange: 'custom', startDate: '2024-05-20', endDate: '2024-05-19' }, /^End \(2024-05-19\) is before Start \(2024-05-20\)/, 'End'],
		[{ dateRange: 'lastDays', days: 16 }, /^Number of Days must be a whole number from 1 to 15/, 'Number of Days'],
		[{ dateRange: 'custom', startDate: '={{ "" }}' }, /^Start is empty/, 'Start'],
		[{ dateRange: 'custom', startDate: 'next tuesday' }, /^Start "next tuesday" is not a date/, 'Start'],
		[{ exportType: '={{ "week" }}' }, /^Export Type "week" is not day or hour/, 'Export Type'],
	])('refuses %j before asking GrowingIO, naming the parameter', async (parameters, message, parameter) => {
		const { error } = await run(links(parameters));
		expect(error?.message).toMatch(message);
		expect(error?.message.startsWith(parameter)).toBe(true);
		expect(error?.description).toEqual(expect.any(String));
		expect(api()).toHaveLength(0);
	});

	it('accepts data types from an expression and names the parameter for unknown ones', async () => {
		const good = await run(links({ dataTypes: '={{ "custom_event, page" }}' }));
		expect([...new Set(good.json.map((item) => item.dataType))]).toEqual(['custom_event', 'page']);
		const bad = await run(links({ dataTypes: '={{ ["custom_event", "clicks", "Page"] }}' }));
		expect(bad.error?.message).toBe('Data Types: "clicks", "Page" are not GrowingIO raw-export data types');
		expect(bad.error?.description).toMatch(/visit, page, action, action_tag, custom_event/);
		const empty = await run(links({ dataTypes: '={{ [] }}' }));
		expect(empty.error?.message).toBe('Data Types is empty');
	});

	it('keeps going for other items with Continue On Fail, each output paired with its input', async () => {
		const input = [{ json: { date: daysAgo(1) } }, { json: { date: '2020-01-01' } }, { json: { date: daysAgo(3) } }];
		const { items } = await run(links({ dateRange: 'custom', startDate: '={{ $json.date }}', dataTypes: ['evar'] }), { input, continueOnFail: true });
		expect(items.map((item) => [item.pairedItem, item.json.exportDate ?? item.json.error])).toEqual([
			[{ item: 0 }, daysAgo(1)],
			[{ item: 0 }, daysAgo(1)],
			[{ item: 1 }, expect.stringMatching(/^Start: 2020-01-01 is older than 15 days/)],
			[{ item: 2 }, daysAgo(3)],
			[{ item: 2 }, daysAgo(3)],
		]);
	});
});

describe('Raw Export → Download', () => {
	it('streams each part into binary data, named <type>_<date>_part-NNNNN.csv.gz, without Authorization', async () => {
		const { items, error, run: result } = await run(download());
		expect(error).toBeUndefined();
		const expected = await oracleParts('day', 'custom_event', YESTERDAY());
		expect(items).toHaveLength(expected.length);
		items.forEach((item, part) => {
			const fileName = `custom_event_${YESTERDAY()}_part-0000${part}.csv.gz`;
			expect(item.json).toEqual({ dataType: 'custom_event', exportType: 'day', exportDate: YESTERDAY(), part, fileName });
			const { meta, bytes } = binaryOf(item);
			expect(meta).toMatchObject({ fileName, mimeType: 'application/gzip', fileExtension: 'gz' });
			expect(bytes.equals(expected[part])).toBe(true);
			expect(item.pairedItem).toEqual({ item: 0 });
		});
		expect(storage()).toHaveLength(3);
		expect(storage().every((r) => !r.hadAuthorization && r.status === 200 && !r.countsTowardLimit)).toBe(true);
		expect(api().every((r) => r.hadAuthorization)).toBe(true);
		const text = JSON.stringify(result);
		for (const secret of secretsOf(sandbox)) expect(text).not.toContain(secret);
	});

	it('gunzips on the fly with Decompress and puts .csv files in the chosen field', async () => {
		const { items, error } = await run(download({ dataTypes: ['pvar'], binaryPropertyName: 'csv', options: { decompress: true } }));
		expect(error).toBeUndefined();
		const expected = await oracleParts('day', 'pvar', YESTERDAY());
		expect(items.map((item) => item.json.fileName)).toEqual(expected.map((_, part) => `pvar_${YESTERDAY()}_part-0000${part}.csv`));
		items.forEach((item, part) => {
			const { meta, bytes } = binaryOf(item, 'csv');
			expect(meta).toMatchObject({ mimeType: 'text/csv', fileExtension: 'csv' });
			expect(bytes.toString('utf8')).toBe(gunzipSync(expected[part]).toString('utf8'));
			expect(bytes.toString('utf8').split('\n')[0]).toBe(RAW_COLUMNS.pvar.join(','));
		});
	});

	it('downloads a truncated part again with fresh links and never outputs the truncated file', async () => {
		sandbox.injectFault({ kind: 'truncated_download', times: 1 });
		const { items, error } = await run(download({ dataTypes: ['page'] }));
		expect(error).toBeUndefined();
		const expected = await oracleParts('day', 'page', YESTERDAY());
		expect(items.map((item) => binaryOf(item).bytes.equals(expected[item.json.part as number]))).toEqual([true, true, true]);
		const downloads = storage();
		expect(downloads.map((r) => r.fault ?? 'ok')).toEqual(['truncated_download', 'ok', 'ok', 'ok']);
		// The retry used a fresh link: a second request for the links, and a new signature.
		expect(api()).toHaveLength(2);
		expect(downloads[1].query.sign).not.toBe(downloads[0].query.sign);
		expect(downloads[1].path).toBe(downloads[0].path);
	});

	it('also re-downloads a truncated part when decompressing', async () => {
		sandbox.injectFault({ kind: 'truncated_download', times: 1, path: 'part-00001' });
		const { items, error } = await run(download({ dataTypes: ['action'], options: { decompress: true } }));
		expect(error).toBeUndefined();
		const expected = await oracleParts('day', 'action', YESTERDAY());
		expect(items.map((item) => binaryOf(item).bytes.toString('utf8'))).toEqual(expected.map((gz) => gunzipSync(gz).toString('utf8')));
		expect(storage().map((r) => r.fault ?? 'ok')).toEqual(['ok', 'truncated_download', 'ok', 'ok']);
	});

	it('gets fresh links when the storage refuses an expired one, whatever Link Lifetime was left in the options', async () => {
		// This GrowingIO's clock jumps 61 minutes ahead once the first download arrives, so the
		// 60-minute link it has just handed out is expired by then. Link Lifetime is not offered for
		// Download: a value saved in the options is not sent.
		let expiring: Sandbox | undefined;
		const downloadsStarted = () => expiring?.requests.some((r) => r.path.startsWith('/storage/')) ?? false;
		expiring = await startSandbox({ quiet: true, now: () => clock() + (downloadsStarted() ? 61 * 60_000 : 0) });
		try {
			const { items, error } = await run(download({ dataTypes: ['evar'], options: { expireMinutes: 0 } }), { on: expiring });
			expect(error).toBeUndefined();
			const expected = await oracleParts('day', 'evar', YESTERDAY());
			expect(items.map((item) => binaryOf(item).bytes.equals(expected[item.json.part as number]))).toEqual(expected.map(() => true));
			expect(storage(expiring).map((r) => r.status)).toEqual([403, ...expected.map(() => 200)]);
			expect(api(expiring).map((r) => r.query.expire)).toEqual(['60', '60']);
		} finally {
			await expiring.close();
		}
	});

	it('gives up after Max Tries with an error that says what broke, and outputs no file', async () => {
		sandbox.injectFault({ kind: 'truncated_download', times: Infinity });
		const { items, error } = await run(download({ dataTypes: ['evar'], options: { maxTries: 2 } }));
		expect(items).toEqual([]);
		expect(error?.message).toMatch(new RegExp(`^Could not download evar_${YESTERDAY()}_part-00000.csv.gz of the evar day export for .* in 2 tries: the (connection broke after \\d+ of \\d+ bytes|file arrived incomplete)`));
		expect(error?.description).toMatch(/fresh download links/);
		expect(storage()).toHaveLength(2);
	});

	it('downloads a header-only part as a file with just the header row', async () => {
		const { items } = await run(download({ dataTypes: [RAW_EXPORT_CASES.headerOnlyDataType], options: { decompress: true } }));
		const last = binaryOf(items[items.length - 1]).bytes.toString('utf8');
		expect(last).toBe(`${RAW_COLUMNS.vstr.join(',')}\n`);
	});

	it('keeps the incoming binary data next to the file', async () => {
		const input = [{ json: {}, binary: { report: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'report.txt' } } }];
		const { items } = await run(download({ dataTypes: ['vstr'] }), { input });
		expect(Object.keys(items[0].binary ?? {}).sort()).toEqual(['data', 'report']);
	});
});

describe('Raw Export → Get Rows', () => {
	it.each(RAW_DATA_TYPES.map((type) => [type]))('reads %s rows with the documented columns, numbers and maps', async (dataType) => {
		const hour = `${YESTERDAY()}09`;
		const { json, error } = await run(rows({ dataTypes: [dataType], exportType: 'hour', dateRange: 'custom', startDate: hour }));
		expect(error).toBeUndefined();
		expect(json.length).toBeGreaterThanOrEqual(5);
		for (const item of json) expect(Object.keys(item)).toEqual(outputKeys(dataType as RawDataType));
		expect(json).toEqual(await expectedRowsOf('hour', dataType as RawDataType, hour));
	});

	it('gives map columns one shape: an object in every row, GrowingIO\'s {"city"->"beijing"} form included, or null', async () => {
		const { json } = await run(rows());
		const values = json.map((item) => item.eventVariable);
		expect(values[1]).toEqual({ city: 'beijing' });
		expect(values).toContain(null);
		expect(values.filter((value) => value !== null && (typeof value !== 'object' || Array.isArray(value)))).toEqual([]);
		expect(json.find((item) => item.eventVariable && '商品名称' in (item.eventVariable as IDataObject))?.eventVariable).toEqual({
			商品名称: expect.any(String),
			价格: expect.stringMatching(/^\d+$/),
			支付方式: expect.stringMatching(/^(微信支付|支付宝)$/),
		});
		expect(json).toEqual(await expectedRowsOf('day', 'custom_event', YESTERDAY()));
	});

	it('writes time, sendTime and pageTime as ISO in Options → Timezone with the ms beside them, as chart output does', async () => {
		const beijing = await run(rows({ returnAll: false, limit: 3 }));
		const file = await expectedRowsOf('day', 'custom_event', YESTERDAY(), 'ms');
		expect(beijing.json.map((item) => [item.sendTime, item['sendTime (ms)']])).toEqual(
			file.slice(0, 3).map((row) => [DateTime.fromMillis(row.sendTime as number, { zone: 'Asia/Shanghai' }).toISO(), row.sendTime]),
		);
		expect(beijing.json[0].sendTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
		// The workflow's own timezone does not change Get Rows' times: Options → Timezone does.
		const losAngeles = await run(rows({ options: { timezone: 'America/Los_Angeles' } }), { timezone: 'Europe/Berlin' });
		expect(losAngeles.error).toBeUndefined();
		expect(losAngeles.json).toEqual(await expectedRowsOf('day', 'custom_event', YESTERDAY(), { timezone: 'America/Los_Angeles' }));
		expect(losAngeles.json[0].sendTime).toMatch(/-07:00$/);
	});

	it('keeps times as the file\'s epoch milliseconds with Time Format → Milliseconds Only', async () => {
		const { json, error } = await run(rows({ dataTypes: ['ads_track_click'], options: { timeFormat: 'ms', timezone: 'UTC' } }));
		expect(error).toBeUndefined();
		for (const item of json) expect(Object.keys(item)).toEqual([...RAW_COLUMNS.ads_track_click]);
		expect(typeof json[0].eventTime).toBe('number');
		expect(json).toEqual(await expectedRowsOf('day', 'ads_track_click', YESTERDAY(), 'ms'));
	});

	it('names Options → Timezone when an expression gives a zone that does not exist, before any request', async () => {
		const { error } = await run(rows({ options: { timezone: '={{ "Asia/Beijing" }}' } }));
		expect(error?.message).toBe('Options → Timezone "Asia/Beijing" does not exist');
		expect(error?.description).toMatch(/Choose a timezone from the list/);
		const object = await run(rows({ options: { timezone: '={{ { zone: "UTC" } }}' } }));
		expect(object.error?.message).toBe('Options → Timezone must be a timezone name, but the expression gave object');
		expect(sandbox.requests).toEqual([]);
	});

	it('reads quoted commas, backslash-escaped quotes, backslashes and Chinese text', async () => {
		const { json } = await run(rows({ dataTypes: ['page'] }));
		const titles = new Set(json.map((item) => item.title));
		expect(titles).toContain('限时"秒杀"专场');
		expect(titles).toContain('C:\\Downloads 帮助中心');
		expect(titles).toContain('手机, 平板 - 数码优选');
		expect(json).toEqual(await expectedRowsOf('day', 'page', YESTERDAY()));
	});

	it('gives no rows for a header-only part', async () => {
		const parts = await oracleParts('day', 'vstr', YESTERDAY());
		const perPart = parts.map((gz) => expectedRows(gunzipSync(gz).toString('utf8')).length);
		expect(perPart[perPart.length - 1]).toBe(0);
		const { json } = await run(rows({ dataTypes: ['vstr'] }));
		expect(json).toHaveLength(perPart.reduce((a, b) => a + b, 0));
	});

	it('filters custom_event rows by Event Names and keeps Fields to Include in their order', async () => {
		const { json, error } = await run(rows({ options: { eventNames: 'payOrderSuccess, addToCart', fields: 'eventName,eventNumber, visitUserId' } }));
		expect(error).toBeUndefined();
		const expected = (await expectedRowsOf('day', 'custom_event', YESTERDAY()))
			.filter((row) => ['payOrderSuccess', 'addToCart'].includes(row.eventName as string))
			.map((row) => ({ eventName: row.eventName, eventNumber: row.eventNumber, visitUserId: row.visitUserId }));
		expect(expected.length).toBeGreaterThan(10);
		expect(json).toEqual(expected);
		expect(Object.keys(json[0])).toEqual(['eventName', 'eventNumber', 'visitUserId']);
		const timed = await run(rows({ returnAll: false, limit: 1, options: { fields: 'sendTime, visitUserId' } }));
		expect(Object.keys(timed.json[0])).toEqual(['sendTime', 'sendTime (ms)', 'visitUserId']);
	});

	it('names the parameter when Fields to Include has an unknown column, Event Names cannot apply or Limit is below 1', async () => {
		const unknown = await run(rows({ dataTypes: ['vstr'], options: { fields: 'visitUserId,eventName' } }));
		expect(unknown.error?.message).toBe('Options → Fields to Include: "eventName" is not a column of the exported files');
		expect(unknown.error?.description).toMatch(/visitUserId, sessionId, time, sendTime, visitorVariable/);
		const events = await run(rows({ dataTypes: ['page'], options: { eventNames: 'addToCart' } }));
		expect(events.error?.message).toMatch(/Event Names filters custom_event rows, but Data Types does not include custom_event/);
		sandbox.resetRequests();
		const limit = await run(rows({ returnAll: false, limit: '={{ 0 }}' }));
		expect(limit.error?.message).toBe('Limit must be a whole number of at least 1 (got "0")');
		expect(api()).toHaveLength(0);
	});

	it('adds where each row comes from with Include File Info', async () => {
		const { json } = await run(rows({ dataTypes: ['evar'], returnAll: false, limit: 2, options: { includeFileInfo: true } }));
		expect(json.map((item) => item._file)).toEqual([
			{ dataType: 'evar', exportType: 'day', exportDate: YESTERDAY(), part: 0 },
			{ dataType: 'evar', exportType: 'day', exportDate: YESTERDAY(), part: 0 },
		]);
	});

	it('stops at Limit without downloading the other parts or periods', async () => {
		const { json } = await run(rows({ returnAll: false, limit: 5, dateRange: 'lastDays', days: 2 }));
		expect(json).toEqual((await expectedRowsOf('day', 'custom_event', daysAgo(2))).slice(0, 5));
		expect(storage()).toHaveLength(1);
		expect(api()).toHaveLength(1);
	});

	it('stops reading a large part at Limit instead of downloading all of it', async () => {
		const large = await startSandbox({ quiet: true, now: clock, largePartRows: 1_000_000 });
		try {
			const began = Date.now();
			const { json, error } = await run(rows({ returnAll: false, limit: 20, dateRange: 'custom', startDate: daysAgo(RAW_EXPORT_CASES.largeDaysAgo) }), { on: large });
			expect(error).toBeUndefined();
			expect(json).toHaveLength(20);
			// ~300 MB of CSV: reading it all takes many seconds, stopping early well under one.
			expect(Date.now() - began).toBeLessThan(3000);
		} finally {
			await large.close();
		}
	});

	it('reads a truncated part again from the start, without duplicate rows', async () => {
		sandbox.injectFault({ kind: 'truncated_download', times: 1, path: 'part-00000' });
		const { json, error } = await run(rows({ dataTypes: ['action'] }));
		expect(error).toBeUndefined();
		expect(json).toEqual(await expectedRowsOf('day', 'action', YESTERDAY()));
		expect(storage().map((r) => r.fault ?? 'ok')).toEqual(['truncated_download', 'ok', 'ok', 'ok']);
	});
});
