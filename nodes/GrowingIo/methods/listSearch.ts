import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getDashboardCharts, getDashboards } from '../helpers/dashboards';
import { getSegments, segmentLabel } from '../helpers/segments';
import { CREDENTIAL_TYPE, getProjectSettings } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

/**
 * What the pickers read, kept per credential and project for a short time: the editor searches
 * on every keystroke, and each dashboard costs a request from the same 2 per second that
 * running workflows use. Keyed by the credential's ID, never by its secrets; entries expire by
 * their time stamp (no timers).
 */
const PICKER_CACHE_MS = 2 * 60_000;
const pickerCache = new Map<string, { storedAt: number; value: unknown }>();

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
	const now = Date.now();
	for (const [entryKey, entry] of pickerCache) if (now - entry.storedAt >= PICKER_CACHE_MS) pickerCache.delete(entryKey);
	const entry = pickerCache.get(key);
	if (entry) return entry.value as T;
	const value = await load();
	pickerCache.set(key, { storedAt: Date.now(), value });
	return value;
}

async function cacheKeyOf(context: ILoadOptionsFunctions): Promise<string> {
	const { baseUrl, projectUid } = await getProjectSettings.call(context);
	return `${context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? ''}|${baseUrl}|${projectUid}`;
}

const cachedDashboards = async (context: ILoadOptionsFunctions, key: string) => await cached(`${key}|dashboards`, async () => await getDashboards.call(context));

/** Dashboards for the Dashboard picker, searchable by name or ID, linking to GrowingIO's UI. */
export async function searchDashboards(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const dashboards = await cachedDashboards(this, await cacheKeyOf(this));
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

/** Dashboards whose charts one page of a report search may fetch (cached ones are free). */
const DASHBOARDS_FETCHED_PER_PAGE = 6;
/** A page ends once it has this many results, so the editor's list can scroll to the next. */
const RESULTS_PER_PAGE = 10;

/** The picker hint of Chart, Funnel and Retention: where the list comes from and what it misses. */
export const reportPickerHint = (word: string) =>
	`The list shows the ${word}s on your dashboards, labelled with the first dashboard each is on. For a ${word} on no dashboard, use By URL or By ID.`;

/**
 * GrowingIO has no endpoint that lists charts, funnels or retentions, so the pickers collect them
 * from the dashboards, a few dashboards per page (`paginationToken` = the next dashboard's
 * position). Each report appears once, labelled with the first dashboard it is on, and the
 * search matches that label (report and dashboard name) or the ID. A report that is on no
 * dashboard can still be chosen By URL or By ID.
 */
async function searchDashboardReports(
	this: ILoadOptionsFunctions,
	type: string,
	urlWord: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const key = await cacheKeyOf(this);
	const dashboards = await cachedDashboards(this, key);
	const chartsKey = (dashboard: IDataObject) => `${key}|charts|${String(dashboard.id)}`;
	const start = Math.max(0, Math.floor(Number(paginationToken) || 0));

	// Reports listed on earlier pages (from dashboards still cached) are not listed again.
	const listedBefore = new Set<string>();
	for (const dashboard of dashboards.slice(0, start)) {
		const charts = pickerCache.get(chartsKey(dashboard))?.value as IDataObject[] | undefined;
		for (const chart of charts ?? []) listedBefore.add(String(chart.id));
	}

	const seen = new Map<string, INodeListSearchItems>();
	let fetched = 0;
	let next = start;
	for (; next < dashboards.length; next++) {
		const dashboard = dashboards[next];
		const isCached = pickerCache.has(chartsKey(dashboard));
		if (!isCached && (fetched >= DASHBOARDS_FETCHED_PER_PAGE || seen.size >= RESULTS_PER_PAGE)) break;
		if (!isCached) fetched++;
		const charts = await cached(chartsKey(dashboard), async () => (await getDashboardCharts.call(this, String(dashboard.id))).charts);
		for (const chart of charts) {
			const id = String(chart.id);
			if (chart.type !== type || listedBefore.has(id) || seen.has(id)) continue;
			const label = `${String(chart.name)} (${String(dashboard.name)})`;
			// Taken even when it does not match, so a report keeps its first dashboard's label.
			listedBefore.add(id);
			if (!matches(filter, label, id)) continue;
			seen.set(id, { name: label, value: id, url: `${baseUrl}/projects/${projectUid}/${urlWord}/${id}` });
		}
	}
	return { results: [...seen.values()], ...(next < dashboards.length ? { paginationToken: String(next) } : {}) };
}

export async function searchCharts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'chart', 'chart', filter, paginationToken);
}

export async function searchFunnels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'funnel', 'funnel', filter, paginationToken);
}

export async function searchRetentions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchDashboardReports.call(this, 'retention', 'retention', filter, paginationToken);
}

/** Segments (分群) for the Segment picker, searchable by name or ID, labelled with their size and user type. */
export async function searchSegments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const segments = await getSegments.call(this);
	return {
		results: segments
			.map((segment: IDataObject) => ({ segment, label: segmentLabel(segment) }))
			.filter(({ segment, label }) => matches(filter, label, segment.id))
			.map(({ segment, label }) => ({
				name: label,
				value: String(segment.id),
				url: `${baseUrl}/projects/${projectUid}/segments/${String(segment.id)}`,
			})),
	};
}
