import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

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
		default: 'charts',
		displayOptions: { show },
		options: [
			{
				name: 'Dashboard',
				value: 'dashboard',
				description: 'One item: the dashboard with its charts in a list, each with the same fields as One Item per Chart',
			},
			{
				name: 'One Item per Chart',
				value: 'charts',
				description: 'One item per chart, funnel, retention or other widget on the dashboard, with its ID, name, type and creator',
			},
		],
	},
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dashboardId = await getResourceId.call(this, 'dashboardId', 'Dashboard', 'dashboard', itemIndex);
	const output = this.getNodeParameter('output', itemIndex, 'charts') as string;
	if (output !== 'charts' && output !== 'dashboard') {
		throw new NodeOperationError(this.getNode(), `Output "${output}" is not one of Dashboard, One Item per Chart`, {
			itemIndex,
			description: 'Choose an Output from the list, or make the expression return charts or dashboard.',
		});
	}
	const { dashboard, charts } = await getDashboardCharts.call(this, dashboardId, itemIndex);
	const json = output === 'charts' ? charts : [{ ...dashboard, charts }];
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData: { item: itemIndex } });
}
