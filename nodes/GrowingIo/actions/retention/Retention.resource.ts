import type { INodeProperties } from 'n8n-workflow';

import * as getData from './getData.operation';

export { getData };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['retention'] } },
		options: [
			{
				name: 'Get Data',
				value: 'getData',
				description: 'Get day-, week- or month-N retention counts and rates for a time range',
				action: 'Get retention data',
			},
		],
		default: 'getData',
	},
	...getData.description,
];
