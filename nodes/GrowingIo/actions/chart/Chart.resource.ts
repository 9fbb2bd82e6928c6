import type { INodeProperties } from 'n8n-workflow';

import * as getData from './getData.operation';

export { getData };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chart'] } },
		options: [
			{
				name: 'Get Data',
				value: 'getData',
				description: 'Get the rows of an event-analysis chart for a time range',
				action: 'Get chart data',
			},
		],
		default: 'getData',
	},
	...getData.description,
];
