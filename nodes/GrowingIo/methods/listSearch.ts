import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getDashboardCharts, getDashboards } from '../helpers/dashboards';
import { getSegments } from '../helpers/segments';
import { getProjectSettings } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

/** Dashboards for the Dashboard picker, searchable by name or ID, linking to GrowingIO's UI. */
export async function searchDashboards(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const dashboards = await getDashboards.call(this);
	return {
		results: dashboards
			.filter((dashboard: IDataObject) => matches(filter, dashboard.name, dashboard.id))
			.map((dashboard: IDataObject) => ({
				name: String(dashboard.name ?? dashboard.id),
				value: String(dashboard.id),
				url: `${baseUrl}/projects/${projectUid}/dashboard/${String(dashboard.id)}`,
			})),
	};
}

/**
 * GrowingIO has no endpoint that lists charts, funnels or retentions, so the pickers collect them
 * from the dashboards (one request per dashboard, paced by the shared limiter). A report that is
 * on no dashboard can still be chosen By URL or By ID.
 */
async function searchDashboardReports(this: ILoadOptionsFunctions, type: string, urlWord: string, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const seen = new Map<string, INodeListSearchResult['results'][number]>();
	for (const dashboard of await getDashboards.call(this)) {
		const { charts } = await getDashboardCharts.call(this, String(dashboard.id));
		for (const chart of charts) {
			if (chart.type !== type || seen.has(String(chart.id)) || !matches(filter, chart.name, chart.id, dashboard.name)) continue;
			seen.set(String(chart.id), {
				name: `${String(chart.name)} (${String(dashboard.name)})`,
				value: String(chart.id),
				url: `${baseUrl}/projects/${projectUid}/${urlWord}/${String(chart.id)}`,
			});
		}
	}
	return { results: [...seen.values()] };
}

export async function searchCharts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'chart', 'chart', filter);
}

export async function searchFunnels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'funnel', 'funnel', filter);
}

export async function searchRetentions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'retention', 'retention', filter);
}

/** Segments (分群) for the Segment picker, searchable by name or ID, linking to GrowingIO's UI. */
export async function searchSegments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const segments = await getSegments.call(this);
	return {
		results: segments
			.filter((segment: IDataObject) => matches(filter, segment.name, segment.id))
			.map((segment: IDataObject) => ({
				name: String(segment.name ?? segment.id),
				value: String(segment.id),
				url: `${baseUrl}/projects/${projectUid}/segments/${String(segment.id)}`,
			})),
	};
}
