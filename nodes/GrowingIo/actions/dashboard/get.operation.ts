import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { getDashboardCharts } from '../../helpers/dashboards';
import { dashboardLocator, optionsCollection } from '../common.descriptions';

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
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dashboardId = await getResourceId.call(this, 'dashboardId', 'Dashboard', 'dashboard', itemIndex);
	const { dashboard, charts } = await getDashboardCharts.call(this, dashboardId, itemIndex);
	const output = this.getNodeParameter('output', itemIndex) as string;
	const json = output === 'charts' ? charts : [dashboard];
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData: { item: itemIndex } });
}
