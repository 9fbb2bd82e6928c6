import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { findDashboard, findReport, WIDGETS } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { credentialsFor, pollTrigger, runGrowingIoNode } from '../helpers/harness';
import { secretLeaks } from '../helpers/reliability';
import { AUTHENTICATIONS, fetchExpected, secretsOf, tokenCredentials } from '../helpers/sandboxClient';

let sandbox: Sandbox;
let dashboards: IDataObject[];

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	dashboards = await fetchExpected<IDataObject[]>(sandbox, `/projects/${sandbox.project.uid}/dashboards.json`);
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

const run = (parameters: IDataObject, options: { input?: IDataObject[]; credentials?: ICredentialDataDecryptedObject; continueOnFail?: boolean } = {}) =>
	runGrowingIoNode(parameters, { ...options, credentials: options.credentials ?? tokenCredentials(sandbox) });

describe('Dashboard → Get Many', () => {
	it('returns one item per dashboard, in GrowingIO order, each paired with its input', async () => {
		const { json, items } = await run({ resource: 'dashboard', operation: 'getMany', returnAll: true });
		expect(dashboards.length).toBeGreaterThanOrEqual(4);
		expect(json).toEqual(dashboards);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('stops at Limit', async () => {
		const { json } = await run({ resource: 'dashboard', operation: 'getMany', returnAll: false, limit: 2 });
		expect(json).toEqual(dashboards.slice(0, 2));
	});
});

describe('Dashboard → Get', () => {
	let dashboard: IDataObject & { charts: IDataObject[] };

	beforeAll(async () => {
		const withCharts = [];
		for (const { id } of dashboards) {
			withCharts.push(await fetchExpected<typeof dashboard>(sandbox, `/projects/${sandbox.project.uid}/dashboards/${String(id)}.json`));
		}
		dashboard = withCharts.sort((a, b) => b.charts.length - a.charts.length)[0];
	});

	/** A chart as both outputs give it: GrowingIO's `createor` spelled creator, its dashboard beside it. */
	const chartItems = (of: typeof dashboard) =>
		of.charts.map((chart) => ({
			id: chart.id,
			name: chart.name,
			type: chart.resource_type ?? 'chart',
			creator: chart.createor,
			createdAt: chart.createdAt,
			dashboardId: of.id,
			dashboardName: of.name,
		}));

	it('outputs one item per chart by default, with id, name, type, creator and createdAt', async () => {
		const { json } = await run({ resource: 'dashboard', operation: 'get', dashboardId: byId(String(dashboard.id)) });
		expect(dashboard.charts.length).toBeGreaterThanOrEqual(10);
		expect(json).toEqual(chartItems(dashboard));
		expect(new Set(json.map((chart) => chart.type))).toEqual(new Set(['chart', 'funnel', 'retention']));
	});

	it('with Output Dashboard returns the dashboard with its charts under the same keys', async () => {
		const { json } = await run({ resource: 'dashboard', operation: 'get', dashboardId: byId(String(dashboard.id)), output: 'dashboard' });
		expect(json).toEqual([{ ...dashboard, charts: chartItems(dashboard) }]);
		expect(JSON.stringify(json)).not.toContain('createor');
	});

	it('gives a chart listed without resource_type the type chart, and widgets their own type', async () => {
		const mixed = await fetchExpected<typeof dashboard>(sandbox, `/projects/${sandbox.project.uid}/dashboards/Mx6wR2tK.json`);
		expect(mixed.charts.some((chart) => !('resource_type' in chart))).toBe(true);
		const { json } = await run({ resource: 'dashboard', operation: 'get', dashboardId: byId('Mx6wR2tK') });
		expect(json).toEqual(chartItems(mixed));
		expect(json.map((chart) => chart.type)).toEqual(findDashboard('Mx6wR2tK')!.items.map((id) => WIDGETS.find((w) => w.id === id)?.resourceType ?? findReport(id)!.resourceType));
	});

	it('the Dashboard Digest trigger reads a dashboard with widgets it cannot read, noting each', async () => {
		const items = await pollTrigger({
			parameters: { event: 'dashboardDigest', dashboardId: byId('Mx6wR2tK') },
			credentialsHelper: credentialsFor(tokenCredentials(sandbox)),
			mode: 'manual',
		});
		const json = (items ?? []).map((item) => item.json);
		const definition = findDashboard('Mx6wR2tK')!;
		expect([...new Set(json.map((row) => row.chartId))]).toEqual(definition.items);
		expect(json.filter((row) => row.skipped === true).map((row) => row.chartType)).toEqual(WIDGETS.map((w) => w.resourceType));
	});

	it('accepts the URL users copy from GrowingIO, with or without /admin', async () => {
		for (const url of [
			`https://www.growingio.com/projects/${sandbox.project.uid}/dashboard/${String(dashboard.id)}`,
			`https://www.growingio.com/admin/projects/${sandbox.project.uid}/dashboard/${String(dashboard.id)}?from=share`,
		]) {
			const { json, error } = await run({ resource: 'dashboard', operation: 'get', dashboardId: byUrl(url), output: 'dashboard' });
			expect(error).toBeUndefined();
			expect(json[0].id).toBe(dashboard.id);
		}
	});

	it('reads the dashboard of each input item from an expression', async () => {
		const ids = dashboards.slice(0, 3).map((d) => String(d.id));
		const { json, items } = await run(
			{ resource: 'dashboard', operation: 'get', dashboardId: byId('={{ $json.dashboard }}'), output: 'dashboard' },
			{ input: ids.map((id) => ({ dashboard: id })) },
		);
		expect(json.map((d) => d.id)).toEqual(ids);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});
});

describe('bad dashboard input gets an error that names the parameter', () => {
	it.each([
		['an expression that gives an empty ID', byId('={{ "" }}'), /Dashboard is empty/, /Choose a dashboard \(看板\) from the list, paste its URL, or enter its ID/],
		['text that is no ID', byId('not an id!'), /Dashboard "not an id!" is not a GrowingIO dashboard \(看板\) ID or URL/, /Enter the short ID .* or paste the dashboard URL/],
		['a chart URL', byUrl('https://www.growingio.com/projects/nxog09md/chart/Ab12Cd34'), /not a link to a dashboard .*it links to a chart/, /Open the dashboard in GrowingIO and copy the URL/],
		['a URL of another project', byUrl('https://www.growingio.com/projects/zzzz9999/dashboard/YoX28w7R'), /belongs to project "zzzz9999"/, /Use a credential for that project/],
		['an expression that gives an object', byId('={{ { id: 1 } }}'), /Dashboard must be text/, /make it return the ID as a string/],
	])('%s', async (_case, dashboardId, message, fix) => {
		const { error } = await run({ resource: 'dashboard', operation: 'get', dashboardId, output: 'dashboard' });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(sandbox.requests.filter((r) => r.path.includes('/dashboards/'))).toHaveLength(0);
	});

	it('an unknown dashboard ID is a clear 404', async () => {
		const { error } = await run({ resource: 'dashboard', operation: 'get', dashboardId: byId('Zz99Zz99'), output: 'dashboard' });
		expect(error?.message).toMatch(/could not find dashboard "Zz99Zz99" \(404/);
		expect(error?.description).toMatch(/copy it from the GrowingIO URL/);
	});

	it('continueOnFail turns the failing item into an error item and keeps the others', async () => {
		const good = String(dashboards[0].id);
		const { json, items } = await run(
			{ resource: 'dashboard', operation: 'get', dashboardId: byId('={{ $json.dashboard }}'), output: 'dashboard' },
			{ input: [{ dashboard: good }, { dashboard: 'Zz99Zz99' }, { dashboard: good }], continueOnFail: true },
		);
		expect(json).toHaveLength(3);
		expect(json[0].id).toBe(good);
		expect(json[1].error).toMatch(/could not find dashboard "Zz99Zz99"/);
		expect(json[2].id).toBe(good);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});

	it.each(AUTHENTICATIONS)('never puts a secret into outputs or errors ($mode, with and without continueOnFail)', async ({ credentials, logins }) => {
		const codesBefore = sandbox.issuedCodes().length;
		for (const continueOnFail of [true, false]) {
			const result = await run(
				{ resource: 'dashboard', operation: 'get', dashboardId: byId('={{ $json.dashboard }}'), output: 'dashboard' },
				{ input: [{ dashboard: 'Zz99Zz99' }], continueOnFail, credentials: credentials(sandbox) },
			);
			expect(continueOnFail ? result.json[0].error : result.error?.message).toMatch(/could not find dashboard "Zz99Zz99"/);
			expect(secretLeaks(result, secretsOf(sandbox))).toEqual([]);
		}
		expect(sandbox.issuedCodes().length - codesBefore).toBe(logins);
	});
});
