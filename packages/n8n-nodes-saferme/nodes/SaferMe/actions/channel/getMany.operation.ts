import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { saferMeList } from '../../transport';
import { listFields } from '../common.descriptions';

export const description: INodeProperties[] = listFields('channel', 'getMany');

/** The team's channels, one item per channel, paged with Range. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const channels = await saferMeList(this, { path: '/api/v4/channels', itemIndex, subject: 'the channels' }, limit);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(channels), { itemData: { item: itemIndex } });
}
