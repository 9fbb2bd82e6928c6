import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { expectList } from '../../helpers/responses';
import { growingIoRequest } from '../../transport';
import { limitField, requestSettingsOptions, returnAllField } from '../common.descriptions';

const show = { resource: ['dashboard'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	returnAllField('dashboard', 'getMany'),
	limitField('dashboard', 'getMany'),
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

/** dashboards.json: one item per dashboard, newest update first (GrowingIO's order). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const body = await growingIoRequest.call(this, {
		path: '/projects/{projectUid}/dashboards.json',
		subject: 'the dashboard list',
		itemIndex,
	});
	let dashboards = expectList(this.getNode(), body, 'the dashboard list', itemIndex);
	if (!this.getNodeParameter('returnAll', itemIndex)) {
		dashboards = dashboards.slice(0, this.getNodeParameter('limit', itemIndex) as number);
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(dashboards), { itemData: { item: itemIndex } });
}
