import { CHARTS, DASHBOARDS, findItem, FUNNELS, RETENTIONS } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { searchCharts, searchDashboards, searchFunnels, searchRetentions } from '../../nodes/GrowingIo/methods/listSearch';
import { credentialsFor, growingIoWorkflow, loadOptionsContext } from '../helpers/harness';
import { tokenCredentials } from '../helpers/sandboxClient';

/** The "From List" pickers, called with n8n-core's real LoadOptionsContext against the sandbox. */

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const context = () =>
	loadOptionsContext(growingIoWorkflow({ resource: 'chart', operation: 'getData' }), credentialsFor(tokenCredentials(sandbox)));

/** Reports of one type in dashboard order, each once. */
function reportsOnDashboards(ids: Set<string>) {
	return [...new Set(DASHBOARDS.flatMap((d) => d.items))].filter((id) => ids.has(id));
}

describe('list searches', () => {
	it('lists every dashboard with a link to it in GrowingIO', async () => {
		const { results } = await searchDashboards.call(context());
		expect(results.map((r) => r.value)).toEqual(DASHBOARDS.map((d) => d.id));
		expect(results[0]).toEqual({
			name: DASHBOARDS[0].name,
			value: DASHBOARDS[0].id,
			url: `${sandbox.url}/projects/${sandbox.project.uid}/dashboard/${DASHBOARDS[0].id}`,
		});
	});

	it('filters dashboards by (Chinese) name', async () => {
		const { results } = await searchDashboards.call(context(), '渠道');
		expect(results.map((r) => r.name)).toEqual(DASHBOARDS.filter((d) => d.name.includes('渠道')).map((d) => d.name));
	});

	it.each([
		['charts', searchCharts, new Set(CHARTS.map((c) => c.id))],
		['funnels', searchFunnels, new Set(FUNNELS.map((f) => f.id))],
		['retentions', searchRetentions, new Set(RETENTIONS.map((r) => r.id))],
	])('collects the %s from all dashboards, each once, paced by the limiter', async (_kind, search, ids) => {
		const { results } = await search.call(context());
		expect(results.map((r) => r.value)).toEqual(reportsOnDashboards(ids));
		expect(results[0].name).toContain(String(findItem(String(results[0].value))?.item.name));
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);
	});
});
