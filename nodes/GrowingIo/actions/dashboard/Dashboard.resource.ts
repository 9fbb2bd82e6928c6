import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getData from './getData.operation';
import * as getMany from './getMany.operation';

export { get, getData, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dashboard'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a dashboard and the charts on it',
				action: 'Get a dashboard',
			},
			{
				name: 'Get Data',
				value: 'getData',
				description: 'Get the data of every chart, funnel and retention on a dashboard for a time range',
				action: 'Get the data of a dashboard',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the dashboards of the project',
				action: 'Get many dashboards',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getData.description,
	...getMany.description,
];
