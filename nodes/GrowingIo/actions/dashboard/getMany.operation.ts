import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getDashboards } from '../../helpers/dashboards';
import { limitField, optionsCollection, returnAllField } from '../common.descriptions';

const show = { resource: ['dashboard'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	returnAllField('dashboard', 'getMany'),
	limitField('dashboard', 'getMany'),
	optionsCollection(show),
];

/** dashboards.json: one item per dashboard, newest update first (GrowingIO's order). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	let dashboards = await getDashboards.call(this, itemIndex);
	if (!this.getNodeParameter('returnAll', itemIndex)) {
		dashboards = dashboards.slice(0, this.getNodeParameter('limit', itemIndex) as number);
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(dashboards), { itemData: { item: itemIndex } });
}
