import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { getInsight, rowsOf, unexpectedAnswer } from '../../helpers/insights';
import { limitProperties, projectIdProperty, rangeProperties, readRangeQuery } from '../../helpers/parameters';

const show = { resource: ['insight'], operation: ['getTopPages'] };

export const description: INodeProperties[] = [projectIdProperty(show), ...rangeProperties(show), ...limitProperties(show)];

/** The most visited pages (screen views), most sessions first: one item per page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const query = readRangeQuery(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const rows = rowsOf(await getInsight(this, itemIndex, 'pages/top', query, 'the top pages'));
	if (!rows) throw unexpectedAnswer(this, itemIndex, 'the top pages with something other than a list');
	return rows.slice(0, limit).map((row) => ({
		// The full address beside origin and path, for a link in a message.
		json: { ...row, url: `${String(row.origin ?? '')}${String(row.path ?? '')}` },
		pairedItem: { item: itemIndex },
	}));
}
