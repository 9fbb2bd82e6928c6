import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { getInsight, rowsOf, unexpectedAnswer } from '../../helpers/insights';
import { limitProperties, projectIdProperty } from '../../helpers/parameters';

const show = { resource: ['insight'], operation: ['getRetention'] };

export const description: INodeProperties[] = [projectIdProperty(show), ...limitProperties(show)];

/**
 * Week-over-week retention of identified users: for each week (from Sunday), the users active in it,
 * how many of them were active the week after, and that as a percentage. OpenPanel answers for the
 * project's whole history, oldest week first; Limit keeps the most recent weeks.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const rows = rowsOf(await getInsight(this, itemIndex, 'retention', {}, 'the retention'));
	if (!rows) throw unexpectedAnswer(this, itemIndex, 'the retention with something other than a list');
	const weeks = [...rows].sort((a, b) => String(a.date ?? '').localeCompare(String(b.date ?? '')));
	return (limit === undefined ? weeks : weeks.slice(-limit)).map((row) => ({ json: row, pairedItem: { item: itemIndex } }));
}
