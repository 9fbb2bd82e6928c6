import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { readNumberInRange } from '../../../../core/helpers/numberParameters';
import { getInsight, readChoice, unexpectedAnswer } from '../../helpers/insights';
import { limitProperties, projectIdProperty } from '../../helpers/parameters';

const show = { resource: ['insight'], operation: ['getActiveUsers'] };

const WINDOW_OPTIONS = [
	{ name: 'Daily Active Users (DAU)', value: '1', description: 'Distinct users of each day' },
	{ name: 'Weekly Active Users (WAU)', value: '7', description: 'Distinct users of the 7 days up to each day' },
	{ name: 'Monthly Active Users (MAU)', value: '30', description: 'Distinct users of the 30 days up to each day' },
	{ name: 'Custom', value: 'custom', description: 'Distinct users of a number of days up to each day' },
];
const MAX_DAYS = 90;

export const description: INodeProperties[] = [
	projectIdProperty(show),
	{
		displayName: 'Window',
		name: 'window',
		type: 'options',
		options: WINDOW_OPTIONS,
		default: '1',
		displayOptions: { show },
	},
	{
		displayName: 'Window (Days)',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_DAYS },
		default: 14,
		description: 'How many days, up to and including each day, a user counts as active for (1 to 90)',
		displayOptions: { show: { ...show, window: ['custom'] } },
	},
	...limitProperties(show),
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: "Whether to return one item per day (newest last, none after today) instead of OpenPanel's answer",
		displayOptions: { show },
	},
];

interface ActiveUsersAnswer {
	window_days?: number;
	label?: string;
	series?: Array<{ date?: string; users?: number }>;
}

/**
 * Rolling active users per day. OpenPanel answers every day of the project's history, unordered,
 * plus the days after the last one whose window is still open; simplified, the days up to today
 * (UTC) oldest first, and Limit keeps the most recent ones.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const window = readChoice(this, itemIndex, 'window', 'Window', WINDOW_OPTIONS, '1');
	const days =
		window === 'custom'
			? readNumberInRange(this.getNode(), this.getNodeParameter('days', itemIndex, 14), { label: 'Window (Days)', min: 1, max: MAX_DAYS, whole: true }, itemIndex)
			: Number(window);
	const limit = readLimit.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) === true;
	const answer = (await getInsight(this, itemIndex, 'active_users', { days }, 'the active users')) as ActiveUsersAnswer;
	if (!answer || !Array.isArray(answer.series)) throw unexpectedAnswer(this, itemIndex, 'the active users without a series');
	const paired = { item: itemIndex };
	if (!simplify) return [{ json: answer as IDataObject, pairedItem: paired }];
	const today = new Date().toISOString().slice(0, 10);
	const rows = answer.series
		.map((row) => ({ date: String(row.date ?? '').slice(0, 10), users: Number(row.users ?? 0) }))
		.filter((row) => row.date && row.date <= today)
		.sort((a, b) => a.date.localeCompare(b.date));
	const kept = limit === undefined ? rows : rows.slice(-limit);
	return kept.map((row) => ({ json: { ...row, windowDays: answer.window_days ?? days, label: answer.label ?? null }, pairedItem: paired }));
}
