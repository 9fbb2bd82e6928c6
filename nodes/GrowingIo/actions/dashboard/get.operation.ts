import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { expectList, expectObject } from '../../helpers/responses';
import { growingIoRequest } from '../../transport';
import { dashboardLocator, requestSettingsOptions } from '../common.descriptions';

const show = { resource: ['dashboard'], operation: ['get'] };

export const description: INodeProperties[] = [
	dashboardLocator('dashboard', 'get'),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'dashboard',
		displayOptions: { show },
		options: [
			{
				name: 'Dashboard',
				value: 'dashboard',
				description: 'One item: the dashboard with the list of its charts',
			},
			{
				name: 'One Item per Chart',
				value: 'charts',
				description: 'One item per chart, funnel or retention on the dashboard',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [...requestSettingsOptions],
	},
];

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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dashboardId = await getResourceId.call(this, 'dashboardId', 'Dashboard', 'dashboard', itemIndex);
	const body = await growingIoRequest.call(this, {
		path: `/projects/{projectUid}/dashboards/${encodeURIComponent(dashboardId)}.json`,
		subject: `dashboard "${dashboardId}"`,
		itemIndex,
	});
	const dashboard = expectObject(this.getNode(), body, `dashboard "${dashboardId}"`, ['id', 'charts'], itemIndex);
	const charts = expectList(this.getNode(), dashboard.charts, `the charts of dashboard "${dashboardId}"`, itemIndex);

	const output = this.getNodeParameter('output', itemIndex) as string;
	const json =
		output === 'charts'
			? (charts as unknown as DashboardChart[]).map((chart) => chartItem(chart, dashboard))
			: [dashboard];
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData: { item: itemIndex } });
}
