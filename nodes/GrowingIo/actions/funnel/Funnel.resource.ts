import type { INodeProperties } from 'n8n-workflow';

import * as getData from './getData.operation';

export { getData };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['funnel'] } },
		options: [
			{
				name: 'Get Data',
				value: 'getData',
				description: 'Get the step counts and conversion rates of a funnel for a time range',
				action: 'Get funnel data',
			},
		],
		default: 'getData',
	},
	...getData.description,
];
