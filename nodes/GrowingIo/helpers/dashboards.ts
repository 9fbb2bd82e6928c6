import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { growingIoRequest } from '../transport';
import { expectList, expectObject } from './responses';

/** A dashboard entry as GrowingIO sends it (note its `createor` spelling). */
interface DashboardChart {
	id: string;
	name: string;
	createor?: string;
	creator?: string;
	createdAt?: string;
	resource_type?: string;
}

/** One chart as a flat item; `type` tells which resource (Chart, Funnel, Retention) reads it. */
export function chartItem(chart: DashboardChart, dashboard: IDataObject): IDataObject {
	return {
		id: chart.id,
		name: chart.name,
		type: chart.resource_type ?? null,
		creator: chart.creator ?? chart.createor ?? null,
		createdAt: chart.createdAt ?? null,
		dashboardId: dashboard.id,
		dashboardName: dashboard.name,
	};
}

/** dashboards/:id.json, checked, with its charts as flat items. */
export async function getDashboardCharts(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	dashboardId: string,
	itemIndex?: number,
): Promise<{ dashboard: IDataObject; charts: IDataObject[] }> {
	const subject = `dashboard "${dashboardId}"`;
	const body = await growingIoRequest.call(this, {
		path: `/projects/{projectUid}/dashboards/${encodeURIComponent(dashboardId)}.json`,
		subject,
		itemIndex,
	});
	const dashboard = expectObject(this.getNode(), body, subject, ['id', 'charts'], itemIndex);
	const charts = expectList(this.getNode(), dashboard.charts, `the charts of ${subject}`, itemIndex);
	return { dashboard, charts: (charts as unknown as DashboardChart[]).map((chart) => chartItem(chart, dashboard)) };
}

/** dashboards.json, checked. */
export async function getDashboards(this: IExecuteFunctions | ILoadOptionsFunctions, itemIndex?: number): Promise<IDataObject[]> {
	const body = await growingIoRequest.call(this, { path: '/projects/{projectUid}/dashboards.json', subject: 'the dashboard list', itemIndex });
	return expectList(this.getNode(), body, 'the dashboard list', itemIndex);
}
