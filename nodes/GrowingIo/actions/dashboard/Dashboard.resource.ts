import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

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
				name: 'Get Many',
				value: 'getMany',
				description: 'List the dashboards of the project',
				action: 'Get many dashboards',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
];
