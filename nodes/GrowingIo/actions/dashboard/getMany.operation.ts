import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getDashboards } from '../../helpers/dashboards';
import { readLimit } from '../../../../core/helpers/listLimit';
import { limitField, optionsCollection, returnAllField } from '../common.descriptions';

const show = { resource: ['dashboard'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	returnAllField('dashboard', 'getMany'),
	limitField('dashboard', 'getMany'),
	optionsCollection(show),
];

/** dashboards.json: one item per dashboard, newest update first (GrowingIO's order). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const dashboards = (await getDashboards.call(this, itemIndex)).slice(0, limit);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(dashboards), { itemData: { item: itemIndex } });
}
