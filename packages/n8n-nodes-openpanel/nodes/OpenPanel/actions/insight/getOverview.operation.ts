import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getInsight, readChoice, unexpectedAnswer } from '../../helpers/insights';
import { HOUR_TO_MONTH_INTERVALS, projectIdProperty, rangeProperties, readRangeQuery } from '../../helpers/parameters';

const show = { resource: ['insight'], operation: ['getOverview'] };


const OUTPUT_OPTIONS = [
	{ name: 'Totals', value: 'totals', description: "One item with the period's figures" },
	{ name: 'Per Interval', value: 'perInterval', description: 'One item per time bucket, oldest first' },
	{ name: 'Raw', value: 'raw', description: "OpenPanel's answer as one item" },
];

export const description: INodeProperties[] = [
	projectIdProperty(show),
	...rangeProperties(show),
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: HOUR_TO_MONTH_INTERVALS,
		default: 'day',
		description: 'The size of each time bucket of Per Interval',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: OUTPUT_OPTIONS,
		default: 'totals',
		displayOptions: { show },
	},
];

interface OverviewAnswer {
	summary?: IDataObject;
	series?: IDataObject[];
	interval?: string;
	startDate?: string;
	endDate?: string;
}

/**
 * The dashboard's key figures of a period (visitors, sessions, page views, bounce rate, session
 * duration in seconds, views per session, revenue), from OpenPanel's sessions.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const query = { ...readRangeQuery(this, itemIndex), interval: readChoice(this, itemIndex, 'interval', 'Interval', HOUR_TO_MONTH_INTERVALS, 'day') };
	const output = String(this.getNodeParameter('output', itemIndex, 'totals'));
	if (!OUTPUT_OPTIONS.some((option) => option.value === output)) {
		throw new NodeOperationError(this.getNode(), `Output "${output}" is not one of ${OUTPUT_OPTIONS.map((o) => o.value).join(', ')}`, { itemIndex, description: 'Choose Totals, Per Interval or Raw.' });
	}
	const answer = (await getInsight(this, itemIndex, 'overview', query, 'the overview')) as OverviewAnswer;
	if (!answer || typeof answer.summary !== 'object' || !Array.isArray(answer.series)) throw unexpectedAnswer(this, itemIndex, 'the overview without summary and series');
	const paired = { item: itemIndex };
	if (output === 'raw') return [{ json: answer as IDataObject, pairedItem: paired }];
	if (output === 'perInterval') return answer.series.map((row) => ({ json: { interval: answer.interval ?? query.interval, ...row }, pairedItem: paired }));
	return [{ json: { startDate: answer.startDate ?? null, endDate: answer.endDate ?? null, ...answer.summary }, pairedItem: paired }];
}
