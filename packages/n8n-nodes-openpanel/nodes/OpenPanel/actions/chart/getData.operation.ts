import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { eventNameProperty, FILTER_OPERATORS, projectIdProperty, rangeProperties, readProjectId, readRangeQuery } from '../../helpers/parameters';
import { chartSeries, fetchChart, SEGMENT_OPTIONS, type ChartPoint } from '../../helpers/chart';
import { workersSharingClientOption } from '../../transport';

const show = { resource: ['chart'], operation: ['getData'] };

export const description: INodeProperties[] = [
	projectIdProperty(show),
	{
		displayName: 'Series',
		name: 'series',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Series',
		default: {},
		required: true,
		description: 'What to count: one line of the chart per series',
		displayOptions: { show },
		options: [
			{
				displayName: 'Series',
				name: 'serie',
				values: [
					{ displayName: 'Count', name: 'segment', type: 'options', options: SEGMENT_OPTIONS, default: 'event' },
					eventNameProperty,
					{ displayName: 'Filter Operator', name: 'filterOperator', type: 'options', options: FILTER_OPERATORS, default: 'is' },
					{
						displayName: 'Filter Property',
						name: 'filterProperty',
						type: 'string',
						default: '',
						placeholder: 'e.g. country',
						description: 'Optional: count only events whose property matches',
					},
					{ displayName: 'Filter Values', name: 'filterValues', type: 'string', default: '', description: 'Comma-separated; matches any of them' },
					{
						displayName: 'Property',
						name: 'property',
						type: 'string',
						default: '',
						placeholder: 'e.g. properties.amount',
						description: 'The numeric property a Property Sum, Average, Maximum or Minimum is taken of',
					},
				],
			},
		],
	},
	{
		displayName: 'Breakdowns',
		name: 'breakdowns',
		type: 'string',
		default: '',
		placeholder: 'e.g. country, properties.plan',
		description: 'Comma-separated properties: one series per combination of their values',
		displayOptions: { show },
	},
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Hour', value: 'hour' },
			{ name: 'Minute', value: 'minute' },
			{ name: 'Month', value: 'month' },
			{ name: 'Week', value: 'week' },
		],
		default: 'day',
		description: 'The size of each time bucket',
		displayOptions: { show },
	},
	...rangeProperties(show),
	{
		displayName: 'Compare to Previous Period',
		name: 'previous',
		type: 'boolean',
		default: false,
		description: 'Whether to add the value of the period just before, bucket by bucket',
		displayOptions: { show },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return one item per series and time bucket instead of the raw chart',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Series Parameter',
				name: 'seriesParameter',
				type: 'options',
				options: [
					{ name: 'Series (Current Servers)', value: 'series' },
					{ name: 'Events (Servers Before November 2025)', value: 'events' },
				],
				default: 'series',
				description: 'The query parameter the series are sent as; self-hosted servers older than November 2025 only know events',
			},
			workersSharingClientOption,
		],
	},
];

function readSeries(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const rows = ((context.getNodeParameter('series', itemIndex, {}) as IDataObject).serie as IDataObject[] | undefined) ?? [];
	if (!rows.length) {
		throw new NodeOperationError(context.getNode(), 'Series is empty', { itemIndex, description: 'Add at least one series and choose its event.' });
	}
	return rows.map((row, index) => chartSeries(context.getNode(), row, `Series ${index + 1}`, itemIndex));
}

function previousValue(point: ChartPoint): number | null {
	if (typeof point.previous === 'number') return point.previous;
	return typeof point.previous?.value === 'number' ? point.previous.value : null;
}

/** A chart of event series over time; simplified, one item per series and time bucket. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = await readProjectId(this, itemIndex);
	const series = readSeries(this, itemIndex);
	const breakdowns = String(this.getNodeParameter('breakdowns', itemIndex, '') ?? '')
		.split(',')
		.map((b) => b.trim())
		.filter(Boolean)
		.map((name) => ({ name }));
	const interval = String(this.getNodeParameter('interval', itemIndex, 'day'));
	const previous = this.getNodeParameter('previous', itemIndex, false) === true;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) === true;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seriesParameter = options.seriesParameter === 'events' ? 'events' : 'series';

	const query = {
		...(projectId ? { projectId, project_id: projectId } : {}),
		[seriesParameter]: series,
		...(breakdowns.length ? { breakdowns } : {}),
		interval,
		...readRangeQuery(this, itemIndex),
		previous,
	};
	const answer = await fetchChart(this, query, `the chart of ${projectId ? `project "${projectId}"` : "the client's project"}`, itemIndex);
	if (!simplify) return [{ json: answer as IDataObject, pairedItem: { item: itemIndex } }];

	const items: INodeExecutionData[] = [];
	for (const serie of answer.series) {
		for (const point of serie.data ?? []) {
			items.push({
				json: {
					series: (serie.names ?? [serie.event?.name]).join(' / '),
					event: serie.event?.name ?? null,
					...(breakdowns.length ? { breakdowns: serie.event?.breakdowns ?? {} } : {}),
					date: point.date ?? null,
					count: point.count ?? 0,
					...(previous ? { previousCount: previousValue(point) } : {}),
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return items;
}
