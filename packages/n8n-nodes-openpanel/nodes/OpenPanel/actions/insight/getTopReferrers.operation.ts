import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { getInsight, readChoice, rowsOf, unexpectedAnswer } from '../../helpers/insights';
import { limitProperties, projectIdProperty, rangeProperties, readRangeQuery } from '../../helpers/parameters';

const show = { resource: ['insight'], operation: ['getTopReferrers'] };

/** The `breakdown` values of /traffic/referrers. */
const BREAKDOWN_OPTIONS = [
	{ name: 'Referrer Name', value: 'referrer_name', description: 'E.g. Google, Hacker News.' },
	{ name: 'Referrer Type', value: 'referrer_type', description: 'E.g. search, social.' },
	{ name: 'Referrer URL', value: 'referrer' },
	{ name: 'UTM Campaign', value: 'utm_campaign' },
	{ name: 'UTM Medium', value: 'utm_medium' },
	{ name: 'UTM Source', value: 'utm_source' },
];

export const description: INodeProperties[] = [
	projectIdProperty(show),
	{
		displayName: 'Group By',
		name: 'breakdown',
		type: 'options',
		options: BREAKDOWN_OPTIONS,
		default: 'referrer_name',
		description: "What the sessions are counted by (each session's first referrer or UTM tag)",
		displayOptions: { show },
	},
	...rangeProperties(show),
	...limitProperties(show),
];

/** Where sessions came from, most sessions first: one item per referrer (name null: none, i.e. direct). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const breakdown = readChoice(this, itemIndex, 'breakdown', 'Group By', BREAKDOWN_OPTIONS, 'referrer_name');
	const query = { breakdown, ...readRangeQuery(this, itemIndex) };
	const limit = readLimit.call(this, itemIndex);
	const rows = rowsOf(await getInsight(this, itemIndex, 'traffic/referrers', query, 'the top referrers'));
	if (!rows) throw unexpectedAnswer(this, itemIndex, 'the top referrers with something other than a list');
	return rows.slice(0, limit).map((row) => ({ json: { breakdown, ...row }, pairedItem: { item: itemIndex } }));
}
