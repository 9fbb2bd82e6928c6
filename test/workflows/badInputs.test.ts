import { Settings } from 'luxon';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { buildChartReport, CHARTS, FUNNELS } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runGrowingIoNode } from '../helpers/harness';
import { expectedRows } from '../helpers/reportOracle';
import { secretLeaks } from '../helpers/reliability';
import { keyPairCredentials, secretsOf, tokenCredentials } from '../helpers/sandboxClient';

/**
 * Bad input, one row per mistake a user can make: a credential field, a parameter, an
 * expression that gives the wrong kind of value, an option out of range. Each must stop with an
 * error whose message or description names the parameter and whose description says what to
 * do, before GrowingIO is asked whenever the mistake can be seen without asking — and never with
 * a secret in any output. n8n's clock is fixed to Wednesday 2026-11-18 10:15 Beijing time.
 */

const NOW = Date.parse('2026-11-18T10:15:00+08:00');

let sandbox: Sandbox;
beforeAll(async () => {
	Settings.now = () => NOW;
	sandbox = await startSandbox({ quiet: true });
});
afterAll(async () => {
	Settings.now = () => Date.now();
	await sandbox.close();
});
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });
const CHART = CHARTS[0];
const FUNNEL = FUNNELS[0];
const WEEK = { timeRange: 'custom', startDate: '2026-11-01', endDate: '2026-11-07' };
const WEEK_WINDOW = { startTime: Date.parse('2026-11-01T00:00:00+08:00'), endTime: Date.parse('2026-11-07T23:59:59.999+08:00') };

const chart = (parameters: IDataObject = {}) => ({ resource: 'chart', operation: 'getData', chartId: byId(CHART.id), ...WEEK, interval: 'day', ...parameters });
const funnel = (parameters: IDataObject = {}) => ({ resource: 'funnel', operation: 'getData', funnelId: byId(FUNNEL.id), ...WEEK, conversionWindow: 7, ...parameters });
const retention = (parameters: IDataObject = {}) => ({ resource: 'retention', operation: 'getData', retentionId: byId('Rt2xM6nB'), ...WEEK, range: 'day', ...parameters });
const rawLinks = (parameters: IDataObject = {}) => ({
	resource: 'rawExport',
	operation: 'getDownloadLinks',
	dataTypes: ['custom_event'],
	exportType: 'day',
	dateRange: 'yesterday',
	...parameters,
});

type Credentials = (on: Sandbox) => ICredentialDataDecryptedObject;
const token = (overrides: IDataObject = {}): Credentials => (on) => tokenCredentials(on, overrides);
const keyPair = (overrides: IDataObject = {}): Credentials => (on) => keyPairCredentials(on, overrides);

interface BadInput {
	/** The node's parameters. */
	parameters: IDataObject;
	credentials?: Credentials;
	message: RegExp;
	/** The parameter's name as the user sees it; the message or the description must name it. */
	parameter: string;
	/** What the description tells the user to do. */
	fix: RegExp;
	/** API requests GrowingIO gets; 0 = refused before asking. */
	requests?: number;
	/** Asks GrowingIO for another project, whose requests n8n paces separately: leave a quiet second after it. */
	otherProject?: boolean;
}

const CASES: Array<[string, BadInput]> = [
	// Credential
	['an empty API Token', { parameters: chart(), credentials: token({ apiToken: '' }), message: /^The API Token in the GrowingIO credential is empty/, parameter: 'API Token', fix: /API Token 管理.*correct it and save it/ }],
	['a whitespace-only API Token', { parameters: chart(), credentials: token({ apiToken: ' \n\t ' }), message: /^The API Token in the GrowingIO credential is empty/, parameter: 'API Token', fix: /API Token 管理/ }],
	['an API Token with a space inside', { parameters: chart(), credentials: token({ apiToken: 'abc def' }), message: /API Token .* contains spaces or line breaks/, parameter: 'API Token', fix: /Paste only the token itself/ }],
	['a Base URL without a scheme', { parameters: chart(), credentials: token({ baseUrl: 'www.growingio.com' }), message: /^The Base URL "www\.growingio\.com" in the GrowingIO credential is not a valid URL/, parameter: 'Base URL', fix: /https:\/\/www\.growingio\.com/ }],
	['a Base URL with another scheme', { parameters: chart(), credentials: token({ baseUrl: 'ftp://www.growingio.com' }), message: /Base URL .* must start with https:\/\//, parameter: 'Base URL', fix: /https:\/\/www\.growingio\.com/ }],
	['a Base URL with a path', { parameters: chart(), credentials: (on) => tokenCredentials(on, { baseUrl: `${on.url}/projects/nxog09md` }), message: /Base URL .* must be just the scheme and host/, parameter: 'Base URL', fix: /correct it and save it/ }],
	['a Project UID of another project', { parameters: chart(), credentials: token({ projectUid: 'zzzz9999' }), message: /^GrowingIO could not find chart \(单图\) "Lw3kP9sD" \(404/, parameter: 'Project UID', fix: /Project UID in the credential is the project it belongs to/, requests: 1, otherProject: true }],
	['a Project UID that is a URL path', { parameters: chart(), credentials: token({ projectUid: 'nxog09md/dashboard' }), message: /Project UID .* must be the short ID from your project's URL/, parameter: 'Project UID', fix: /correct it and save it/ }],
	['no Project ID (ai) for a raw export', { parameters: rawLinks(), credentials: token({ projectId: '' }), message: /needs the Project ID \(ai\) in the GrowingIO credential/, parameter: 'Project ID', fix: /项目配置.*Project ID field/ }],
	['Key Pair without the Private Key', { parameters: chart(), credentials: keyPair({ privateKey: '' }), message: /Key Pair authentication needs the Project ID \(ai\), the Public Key and the Private Key/, parameter: 'Private Key', fix: /Fill in all three, or switch Authentication to API Token/ }],
	// IDs and URLs
	['a Chart ID that is no ID', { parameters: chart({ chartId: byId('not an id!') }), message: /^Chart "not an id!" is not a GrowingIO chart \(单图\) ID or URL/, parameter: 'Chart', fix: /Enter the short ID .* or paste the chart URL/ }],
	['a Chart URL without an ID', { parameters: chart({ chartId: byUrl('https://www.growingio.com/projects/nxog09md/chart/') }), message: /^Chart: the URL .* is not a link to a chart/, parameter: 'Chart', fix: /copy the URL from the address bar/ }],
	['a funnel URL given to Chart', { parameters: chart({ chartId: byUrl(`https://www.growingio.com/projects/nxog09md/funnel/${FUNNEL.id}`) }), message: /is not a link to a chart \(单图\) \(it links to a funnel \(漏斗\)\)/, parameter: 'Chart', fix: /Open the chart in GrowingIO/ }],
	['a funnel ID given to Chart', { parameters: chart({ chartId: byId(FUNNEL.id) }), message: new RegExp(`^GrowingIO could not find chart \\(单图\\) "${FUNNEL.id}" \\(404`), parameter: 'Chart', fix: /a funnel ID with Funnel → Get Data, not Chart/, requests: 1 }],
	['a chart URL of another project', { parameters: chart({ chartId: byUrl(`https://www.growingio.com/projects/zzzz9999/chart/${CHART.id}`) }), message: /^Chart: the URL belongs to project "zzzz9999", but the GrowingIO credential is for project "nxog09md"/, parameter: 'Chart', fix: /Use a credential for that project/ }],
	['a Chart expression that gives an object', { parameters: chart({ chartId: byId('={{ { id: "Lw3kP9sD" } }}') }), message: /^Chart must be text, but it is object/, parameter: 'Chart', fix: /return the ID as a string/ }],
	// Time range
	['Start Date after End Date', { parameters: chart({ startDate: '2026-11-07', endDate: '2026-11-01' }), message: /^End Date \(2026-11-01\) is before Start Date \(2026-11-07\)/, parameter: 'End Date', fix: /Swap the two dates/ }],
	['a Start Date in the far future', { parameters: chart({ startDate: '2099-01-01', endDate: '2099-01-07' }), message: /^Start Date \(2099-01-01\) is in the future \(today is 2026-11-18 in Asia\/Shanghai\)/, parameter: 'Start Date', fix: /Pick today or an earlier day as Start Date/ }],
	['an End Date in the far future', { parameters: chart({ endDate: '2062-11-07' }), message: /^End Date \(2062-11-07\) is in the future/, parameter: 'End Date', fix: /Pick today or an earlier day as End Date, or use a preset/ }],
	['a Start Date expression that gives an object', { parameters: chart({ startDate: '={{ { date: "2026-11-01" } }}' }), message: /^Start Date must be a date, but the expression gave an object/, parameter: 'Start Date', fix: /return one date, e\.g\. \{\{ \$json\.date \}\}/ }],
	['a Start Date that is no date', { parameters: chart({ startDate: '={{ "1st of November" }}' }), message: /^Start Date "1st of November" is not a date/, parameter: 'Start Date', fix: /Use a date such as 2026-11-01/ }],
	['a Time Range expression with an unknown preset', { parameters: chart({ timeRange: '={{ "last7days" }}' }), message: /^Time Range "last7days" is not one of the presets/, parameter: 'Time Range', fix: /last7Days/ }],
	['Interval Hour over more than 7 days', { parameters: chart({ endDate: '2026-11-10', interval: 'hour' }), message: /^Interval Hour is only available for time ranges of up to 7 days \(this one has 10\)/, parameter: 'Interval', fix: /Choose Interval Day, or a shorter Time Range/ }],
	['an Interval expression with an unknown value', { parameters: chart({ interval: '={{ "daily" }}' }), message: /^Interval "daily" is not one of Hour, Day, Week, Month/, parameter: 'Interval', fix: /return hour, day, week or month/ }],
	['a Timezone that does not exist', { parameters: chart({ options: { timezone: 'Asia/Beijing' } }), message: /^Timezone "Asia\/Beijing" does not exist/, parameter: 'Timezone', fix: /IANA timezone name such as Asia\/Shanghai/ }],
	['a Timezone expression that gives an object', { parameters: chart({ options: { timezone: '={{ { zone: "Asia/Shanghai" } }}' } }), message: /^Options → Timezone must be text, but the expression gave an object/, parameter: 'Timezone', fix: /return a single value/ }],
	// Report parameters
	['a non-numeric Conversion Window', { parameters: funnel({ conversionWindow: '={{ "7 days" }}' }), message: /^Conversion Window \(Days\) must be a whole number from 1 to 180 \(got "7 days"\)/, parameter: 'Conversion Window (Days)', fix: /make it return a number/ }],
	['a Conversion Window of 0 days', { parameters: funnel({ conversionWindow: 0 }), message: /^Conversion Window \(Days\) must be a whole number from 1 to 180 \(got "0"\)/, parameter: 'Conversion Window (Days)', fix: /Enter the number of days/ }],
	['a Retention Period expression with an unknown value', { parameters: retention({ range: '={{ "fortnight" }}' }), message: /^Retention Period "fortnight" is not one of Day, Week, Month/, parameter: 'Retention Period', fix: /return day, week or month/ }],
	['Max Wait 0 for the v3 exporter', { parameters: chart({ options: { apiVersion: 'v3', maxWaitSeconds: 0 } }), message: /^Options → Max Wait \(Seconds\) must be a number of at least 1/, parameter: 'Max Wait (Seconds)', fix: /Set Max Wait \(Seconds\) to e\.g\. 120/ }],
	// Raw export
	['a raw-export Start older than 15 days', { parameters: rawLinks({ dateRange: 'custom', startDate: '2026-11-02' }), message: /^Start: 2026-11-02 is older than 15 days: .*the earliest day now is 2026-11-03/, parameter: 'Start', fix: /Choose dates from 2026-11-03 on/ }],
	['a raw-export End in the future', { parameters: rawLinks({ dateRange: 'custom', startDate: '2026-11-16', endDate: '2026-11-20' }), message: /^End: 2026-11-20 is in the future/, parameter: 'End', fix: /Choose past days or hours/ }],
	['a raw-export Start expression that gives an object', { parameters: rawLinks({ dateRange: 'custom', startDate: '={{ { day: "2026-11-17" } }}' }), message: /^Start must be a date, but the expression gave an object/, parameter: 'Start', fix: /return one date/ }],
	['an unknown data type from an expression', { parameters: rawLinks({ dataTypes: '={{ "custom_event, clicks" }}' }), message: /^Data Types: "clicks" is not a GrowingIO raw-export data type/, parameter: 'Data Types', fix: /visit, page, action, action_tag, custom_event/ }],
	['a Data Types expression that gives an object', { parameters: rawLinks({ dataTypes: '={{ { type: "page" } }}' }), message: /^Data Types must be a list of data type names, but the expression gave an object/, parameter: 'Data Types', fix: /\["custom_event", "page"\]/ }],
	['an Export Type expression with an unknown value', { parameters: rawLinks({ exportType: '={{ "daily" }}' }), message: /^Export Type "daily" is not day or hour/, parameter: 'Export Type', fix: /"day" or "hour"/ }],
	['a Number of Days of 0', { parameters: rawLinks({ dateRange: 'lastDays', days: 0 }), message: /^Number of Days must be a whole number from 1 to 15 \(got "0"\)/, parameter: 'Number of Days', fix: /choose 1 to 15/ }],
	['a Link Lifetime of 0 minutes', { parameters: rawLinks({ options: { expireMinutes: 0 } }), message: /^Options → Link Lifetime \(Minutes\) must be a number from 1 to 10080/, parameter: 'Link Lifetime (Minutes)', fix: /remove the option to use the default \(60\)/ }],
	// Limit
	['Limit 0 (Raw Export → Get Rows)', { parameters: rawLinks({ operation: 'getRows', returnAll: false, limit: 0 }), message: /^Limit must be a whole number of at least 1 \(got "0"\)/, parameter: 'Limit', fix: /or turn on Return All/ }],
	['a negative Limit (Dashboard → Get Many)', { parameters: { resource: 'dashboard', operation: 'getMany', returnAll: false, limit: -1 }, message: /^Limit must be a whole number of at least 1 \(got "-1"\)/, parameter: 'Limit', fix: /or turn on Return All/ }],
	['Limit 0 (Segment → Get Many)', { parameters: { resource: 'segment', operation: 'getMany', returnAll: false, limit: '={{ 0 }}' }, message: /^Limit must be a whole number of at least 1 \(got "0"\)/, parameter: 'Limit', fix: /or turn on Return All/ }],
	['a non-numeric Limit (Segment → Get Users)', { parameters: { resource: 'segment', operation: 'getUsers', segmentId: byId('Sg3kD7fH'), output: 'users', returnAll: false, limit: '={{ "ten" }}' }, message: /^Limit must be a whole number of at least 1 \(got "ten"\)/, parameter: 'Limit', fix: /or turn on Return All/ }],
	['a fractional Limit (Rule → Get Many)', { parameters: { resource: 'rule', operation: 'getMany', returnAll: false, limit: 2.5 }, message: /^Limit must be a whole number of at least 1 \(got "2\.5"\)/, parameter: 'Limit', fix: /or turn on Return All/ }],
	// Request options
	['Max Tries 0', { parameters: chart({ options: { maxTries: 0 } }), message: /^Options → Max Tries must be a number from 1 to 10 \(got "0"\)/, parameter: 'Max Tries', fix: /remove the option to use the default \(5\)/ }],
	['Requests per Second 5 (over GrowingIO\'s limit)', { parameters: chart({ options: { requestsPerSecond: 5 } }), message: /^Options → Requests per Second must be a number from 0\.01 to 2 \(got "5"\)/, parameter: 'Requests per Second', fix: /between 0\.01 and 2/ }],
	['a Timeout of 50 ms', { parameters: chart({ options: { timeoutMs: 50 } }), message: /^Options → Timeout \(Milliseconds\) must be a number from 100 to 600000 \(got "50"\)/, parameter: 'Timeout (Milliseconds)', fix: /between 100 and 600000/ }],
];

const api = () => sandbox.requests.filter((r) => r.countsTowardLimit);

describe(`${CASES.length} bad inputs: an error that names the parameter and the fix, and no secret anywhere`, () => {
	it.each(CASES)('%s', async (_case, bad) => {
		const result = await runGrowingIoNode(bad.parameters, { credentials: (bad.credentials ?? token())(sandbox) });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(bad.message);
		const description = String(result.error?.description ?? '');
		expect(`${result.error?.message}\n${description}`).toContain(bad.parameter);
		expect(description).toMatch(bad.fix);
		expect(api()).toHaveLength(bad.requests ?? 0);
		if (!bad.requests) expect(sandbox.requests).toEqual([]);
		expect(secretLeaks(result, secretsOf(sandbox))).toEqual([]);
		// The sandbox counts all projects' requests together (GrowingIO counts each project's own).
		if (bad.otherProject) await new Promise((resolve) => setTimeout(resolve, 1100));
	});
});

describe('a pasted scheme word before the API Token is accepted', () => {
	it.each(['Bearer ', 'Token ', '  bearer  '])('"%s<token>": the chart\'s rows, the bare token sent', async (prefix) => {
		const result = await runGrowingIoNode(chart(), { credentials: tokenCredentials(sandbox, { apiToken: `${prefix}${sandbox.apiToken}` }) });
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual(expectedRows(buildChartReport(CHART, { ...WEEK_WINDOW, interval: 86_400_000 })));
		expect(api().map((r) => r.status)).toEqual([200]);
		expect(secretLeaks(result, secretsOf(sandbox))).toEqual([]);
	});
});

describe('with Continue On Fail, bad items become error items and the good ones carry on', () => {
	it('bad Start Dates from the items themselves, between two good items: each its own error, paired with it', async () => {
		const end = '2026-11-07';
		const input = [{ start: '2026-11-01', end }, { start: '2099-01-01', end: '2099-01-07' }, { start: { date: '2026-11-01' }, end }, { start: 'soon', end }, { start: '2026-11-01', end }];
		const result = await runGrowingIoNode(chart({ startDate: '={{ $json.start }}', endDate: '={{ $json.end }}' }), { credentials: tokenCredentials(sandbox), input, continueOnFail: true });
		const rows = expectedRows(buildChartReport(CHART, { ...WEEK_WINDOW, interval: 86_400_000 }));
		expect(result.items.map((item) => [(item.pairedItem as { item: number }).item, item.json.error ?? item.json])).toEqual([
			...rows.map((row) => [0, row]),
			[1, expect.stringMatching(/^Start Date \(2099-01-01\) is in the future/)],
			[2, 'Start Date must be a date, but the expression gave an object'],
			[3, 'Start Date "soon" is not a date'],
			...rows.map((row) => [4, row]),
		]);
		expect(result.items.filter((item) => item.json.error).every((item) => typeof item.json.description === 'string')).toBe(true);
		expect(api()).toHaveLength(2);
		expect(secretLeaks(result, secretsOf(sandbox))).toEqual([]);
	});
});
