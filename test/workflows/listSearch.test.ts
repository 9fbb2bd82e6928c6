import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { CHARTS, DASHBOARDS, findItem, FUNNELS, RETENTIONS, type DashboardDefinition } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { GrowingIo } from '../../nodes/GrowingIo/GrowingIo.node';
import { searchCharts, searchDashboards, searchFunnels, searchRetentions } from '../../nodes/GrowingIo/methods/listSearch';
import { credentialsFor, growingIoWorkflow, loadOptionsContext } from '../helpers/harness';
import { tokenCredentials } from '../helpers/sandboxClient';

/** The "From List" pickers, called with n8n-core's real LoadOptionsContext against the sandbox. */

type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());
afterEach(() => jest.restoreAllMocks());

/** Each test its own credential, so the pickers' short-lived cache starts empty. */
let credentialCount = 0;
const freshCredential = () => ({ credentials: { growingIoApi: { id: `cred-list-${++credentialCount}`, name: 'GrowingIO sandbox' } } });

const contextFor = (target: Sandbox, node = freshCredential()) =>
	loadOptionsContext(growingIoWorkflow({ resource: 'chart', operation: 'getData' }, node), credentialsFor(tokenCredentials(target)));

const api = (target: Sandbox) => target.requests.filter((r) => r.countsTowardLimit);

/** Every page of a search, as the editor fetches them while the user scrolls; with the requests of each page. */
async function allPages(search: Search, context: ILoadOptionsFunctions, target: Sandbox, filter?: string) {
	const results: INodeListSearchResult['results'] = [];
	const requestsPerPage: number[] = [];
	let token: string | undefined;
	do {
		const before = api(target).length;
		const page = await search.call(context, filter, token);
		requestsPerPage.push(api(target).length - before);
		results.push(...page.results);
		token = page.paginationToken as string | undefined;
	} while (token !== undefined);
	return { results, requestsPerPage };
}

/** Reports of one type in dashboard order, each once. */
function reportsOnDashboards(ids: Set<string>) {
	return [...new Set(DASHBOARDS.flatMap((d) => d.items))].filter((id) => ids.has(id));
}

describe('list searches', () => {
	it('lists every dashboard with a link to it in GrowingIO', async () => {
		const { results } = await searchDashboards.call(contextFor(sandbox));
		expect(results.map((r) => r.value)).toEqual(DASHBOARDS.map((d) => d.id));
		expect(results[0]).toEqual({
			name: DASHBOARDS[0].name,
			value: DASHBOARDS[0].id,
			url: `${sandbox.url}/projects/${sandbox.project.uid}/dashboard/${DASHBOARDS[0].id}`,
		});
	});

	it('filters dashboards by (Chinese) name', async () => {
		const { results } = await searchDashboards.call(contextFor(sandbox), '渠道');
		expect(results.map((r) => r.name)).toEqual(DASHBOARDS.filter((d) => d.name.includes('渠道')).map((d) => d.name));
	});

	it.each([
		['charts', searchCharts, new Set(CHARTS.map((c) => c.id)), 'chart'],
		['funnels', searchFunnels, new Set(FUNNELS.map((f) => f.id)), 'funnel'],
		['retentions', searchRetentions, new Set(RETENTIONS.map((r) => r.id)), 'retention'],
	])('collects the %s from all dashboards, each once with its first dashboard in the label, paced by the limiter', async (_kind, search, ids, urlWord) => {
		const { results } = await allPages(search, contextFor(sandbox), sandbox);
		expect(results).toEqual(
			reportsOnDashboards(ids).map((id) => ({
				name: `${String(findItem(id)?.item.name)} (${DASHBOARDS.find((d) => d.items.includes(id))!.name})`,
				value: id,
				url: `${sandbox.url}/projects/${sandbox.project.uid}/${urlWord}/${id}`,
			})),
		);
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});

	it('lists a chart that its dashboard lists without resource_type', async () => {
		const untyped = CHARTS.find((c) => c.untypedOnDashboards)!;
		const { results } = await allPages(searchCharts, contextFor(sandbox), sandbox);
		expect(results.map((r) => r.value)).toContain(untyped.id);
	});

	it('labels a report with its first dashboard in every search, and matches the search against that label', async () => {
		const context = contextFor(sandbox);
		const labels = new Map((await allPages(searchCharts, context, sandbox)).results.map((r) => [r.value, r.name]));
		const shared = CHARTS.find((c) => DASHBOARDS.filter((d) => d.items.includes(c.id)).length > 1)!;
		const [first, second] = DASHBOARDS.filter((d) => d.items.includes(shared.id));
		expect(labels.get(shared.id)).toBe(`${shared.name} (${first.name})`);

		for (const filter of [second.name, first.name, shared.name.slice(0, 2), shared.id.toLowerCase()]) {
			const { results } = await allPages(searchCharts, context, sandbox, filter);
			for (const result of results) {
				expect(result.name).toBe(labels.get(result.value));
				expect(`${result.name} ${String(result.value)}`.toLowerCase()).toContain(filter.toLowerCase());
			}
			expect(results.some((r) => r.value === shared.id)).toBe(filter !== second.name);
		}
	});

	it('says in the hint that a report on no dashboard is chosen By URL or By ID', () => {
		const properties = new GrowingIo().description.properties;
		for (const name of ['chartId', 'funnelId', 'retentionId']) {
			expect(properties.find((p) => p.name === name)?.hint).toMatch(/on no dashboard, use By URL or By ID/);
		}
	});
});

describe('pickers over many dashboards (40)', () => {
	/** 40 dashboards of 3 reports each; every report is on several dashboards. */
	const reportIds = [...CHARTS.map((c) => c.id), ...FUNNELS.map((f) => f.id), ...RETENTIONS.map((r) => r.id)];
	const manyDashboards: DashboardDefinition[] = Array.from({ length: 40 }, (_, i) => ({
		...DASHBOARDS[0],
		id: `Db${String(i).padStart(2, '0')}xYzW`,
		name: `看板 ${i + 1}`,
		items: [0, 1, 2].map((k) => reportIds[(i * 3 + k) % reportIds.length]),
	}));
	let large: Sandbox;
	beforeAll(async () => (large = await startSandbox({ quiet: true, dashboards: manyDashboards })));
	afterAll(async () => await large.close());
	beforeEach(() => large.resetRequests());

	it('a search costs at most 7 requests, and typing on reads no dashboard twice', async () => {
		const context = contextFor(large);
		const first = await searchCharts.call(context);
		expect(api(large).length).toBeLessThanOrEqual(7);
		expect(first.results.length).toBeGreaterThan(0);
		expect(first.paginationToken).toBeDefined();

		// Each keystroke is a new search: cached dashboards are free, each reads at most 6 more.
		let requests = api(large).length;
		for (const filter of ['访', '访问', '访问用']) {
			await searchCharts.call(context, filter);
			const spent = api(large).length - requests;
			expect(spent).toBeLessThanOrEqual(6);
			requests += spent;
		}
		const paths = api(large).map((r) => r.path);
		expect(new Set(paths).size).toBe(paths.length);
		expect(large.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	}, 60000);

	it('pages through every dashboard once, lists each chart once, and a second pass is served from the cache', async () => {
		const context = contextFor(large);
		const { results, requestsPerPage } = await allPages(searchCharts, context, large);
		expect(Math.max(...requestsPerPage)).toBeLessThanOrEqual(7);
		expect(requestsPerPage.reduce((a, b) => a + b, 0)).toBe(1 + manyDashboards.length);
		const charts = new Set(CHARTS.map((c) => c.id));
		expect(results.map((r) => r.value)).toEqual([...new Set(manyDashboards.flatMap((d) => d.items))].filter((id) => charts.has(id)));

		const again = await allPages(searchFunnels, context, large);
		expect(again.requestsPerPage.every((n) => n === 0)).toBe(true);
		expect(again.results.map((r) => r.value)).toEqual(FUNNELS.map((f) => f.id));
	}, 60000);

	it('keeps the cache per credential and only for a short time', async () => {
		const node = freshCredential();
		await searchCharts.call(contextFor(large, node));
		const afterFirst = api(large).length;
		await searchCharts.call(contextFor(large, node));
		expect(api(large).length).toBe(afterFirst);

		// Another credential for the same project asks GrowingIO itself.
		await searchCharts.call(contextFor(large));
		expect(api(large).length).toBeGreaterThan(afterFirst);

		// Minutes later the same credential reads the list again. (The clock moves for the node's
		// limiter too, which then waits from the later time: keep this the last request to `large`.)
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 5 * 60_000);
		const before = api(large).length;
		await searchCharts.call(contextFor(large, node));
		expect(api(large).slice(before).map((r) => r.path)).toContain(`/projects/${large.project.uid}/dashboards.json`);
	}, 60000);
});
