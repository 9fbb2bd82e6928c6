import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { getSegments } from '../../helpers/segments';
import { limitField, optionsCollection, returnAllField } from '../common.descriptions';

const show = { resource: ['segment'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	returnAllField('segment', 'getMany'),
	limitField('segment', 'getMany'),
	optionsCollection(show),
];

/** segmentations.json: one item per segment, as GrowingIO sends it (id, name, userType, userNum, updatedAt). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const segments = (await getSegments.call(this, itemIndex)).slice(0, limit);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(segments), { itemData: { item: itemIndex } });
}
