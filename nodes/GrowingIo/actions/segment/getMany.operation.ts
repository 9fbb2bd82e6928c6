import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
	let segments = await getSegments.call(this, itemIndex);
	if (!this.getNodeParameter('returnAll', itemIndex)) {
		segments = segments.slice(0, this.getNodeParameter('limit', itemIndex) as number);
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(segments), { itemData: { item: itemIndex } });
}
