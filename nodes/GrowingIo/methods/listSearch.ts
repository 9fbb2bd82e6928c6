import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { expectList } from '../helpers/responses';
import { getProjectSettings, growingIoRequest } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

/** Dashboards for the Dashboard picker, searchable by name or ID, linking to GrowingIO's UI. */
export async function searchDashboards(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const body = await growingIoRequest.call(this, { path: '/projects/{projectUid}/dashboards.json', subject: 'the dashboard list' });
	const dashboards = expectList(this.getNode(), body, 'the dashboard list');
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
