import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as getUsers from './getUsers.operation';

export { getMany, getUsers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['segment'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the segments of the project',
				action: 'Get many segments',
			},
			{
				name: 'Get Users',
				value: 'getUsers',
				description: 'Get the users in a segment, or a link to a file with all of them',
				action: 'Get the users of a segment',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getUsers.description,
];
