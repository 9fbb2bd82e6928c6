import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['rule'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the circle-select rules (圈选规则) of the project: which event name each rule ID stands for',
				action: 'Get many rules',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
