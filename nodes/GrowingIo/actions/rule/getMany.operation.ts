import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getDelimitedRows } from '../../helpers/csv';
import { readLimit } from '../../../../core/helpers/listLimit';
import { limitField, optionsCollection, returnAllField } from '../common.descriptions';

const show = { resource: ['rule'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	returnAllField('rule', 'getMany'),
	limitField('rule', 'getMany'),
	optionsCollection(show),
];

/**
 * rules.csv → one item per rule: `{ ruleId, eventName, eventType }`, the names behind the ruleId
 * column of the action_tag raw export. GrowingIO's docs call the file tab-separated but show
 * commas; the header row decides.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const rules = await getDelimitedRows.call(this, {
		path: '/projects/{projectUid}/rules.csv',
		subject: 'the rule list',
		delimiter: [',', '\t'],
		limit: readLimit.call(this, itemIndex),
		itemIndex,
	});
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(rules), { itemData: { item: itemIndex } });
}
