import { DateTime, type DateTimeUnit } from 'luxon';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import { readNumberInRange } from '../../../core/helpers/numberParameters';
import { calendarRange } from '../../../core/helpers/timeRange';
import { stateFor, type TriggerEvent } from '../../../core/trigger/pollEvents';
import { chartSeries, fetchChart, PROPERTY_SEGMENTS, SEGMENT_OPTIONS, type ChartSerie } from '../../OpenPanel/helpers/chart';
import { eventNameProperty, HOUR_TO_MONTH_INTERVALS, projectIdOrDefault } from '../../OpenPanel/helpers/parameters';

/**
 * Metric Threshold: one chart series (an event, counted as events, users, …) over a time window,
 * compared with a threshold on every poll. It fires when the condition becomes true, not on every
 * poll while it stays true, and again only after the value went back.
 *
 * OpenPanel counts events as they arrive, so a time bucket is final once it has ended, but for
 * events that reach OpenPanel a little late (SDK queues, OpenPanel's ingestion queue): a bucket
 * is complete 5 minutes after its end. Only complete buckets are judged: Latest Bucket takes the
 * window's newest complete bucket (so Today, whose only day bucket is still running, is never
 * judged), Sum of Window waits until the whole window has ended.
 */

const show = { event: ['metricThreshold'] };
const SETTLE_MINUTES = 5;

/** The chart ranges that make sense to poll, as OpenPanel accepts them. */
const WINDOW_OPTIONS = [
	{ name: 'Last 30 Days', value: '30d', description: 'The 30 days up to today (today included)' },
	{ name: 'Last 7 Days', value: '7d', description: 'The 7 days up to today (today included)' },
	{ name: 'Last Month', value: 'lastMonth' },
	{ name: 'Month to Date', value: 'monthToDate' },
	{ name: 'Today', value: 'today', description: 'Still filling up: Latest Bucket with Interval Hour judges its complete hours' },
	{ name: 'Yesterday', value: 'yesterday' },
];

export const description: INodeProperties[] = [
	{ ...eventNameProperty, name: 'eventName', displayOptions: { show }, description: `The event the series counts. ${eventNameProperty.description}` },
	{ displayName: 'Count', name: 'segment', type: 'options', options: SEGMENT_OPTIONS, default: 'event', displayOptions: { show }, description: 'What of the event is counted' },
	{
		displayName: 'Property',
		name: 'property',
		type: 'string',
		default: '',
		placeholder: 'e.g. properties.amount',
		displayOptions: { show: { ...show, segment: PROPERTY_SEGMENTS } },
		description: 'The numeric property the sum, average, maximum or minimum is taken of',
	},
	{
		displayName: 'Time Window',
		name: 'timeWindow',
		type: 'options',
		options: WINDOW_OPTIONS,
		default: 'yesterday',
		displayOptions: { show },
		description: "The chart's range on each poll, in the project's timezone. Yesterday suits a daily KPI; windows that include today end in a bucket still filling up, which is left out.",
	},
	{ displayName: 'Interval', name: 'interval', type: 'options', options: HOUR_TO_MONTH_INTERVALS, default: 'day', displayOptions: { show }, description: 'The size of the chart buckets' },
	{
		displayName: 'Value',
		name: 'valueFrom',
		type: 'options',
		default: 'latest',
		displayOptions: { show },
		options: [
			{ name: 'Latest Bucket', value: 'latest', description: "The window's newest bucket that is complete (ended 5 minutes ago)" },
			{ name: 'Sum of Window', value: 'sum', description: 'The buckets added up, once the whole window has ended' },
		],
		description: 'Which number of the chart is compared',
	},
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'options',
		default: 'below',
		displayOptions: { show },
		options: [
			{ name: 'Is Above', value: 'above', description: 'Fires when the value goes above the threshold (also at activation if it already is)' },
			{ name: 'Is Below', value: 'below', description: 'Fires when the value goes below the threshold (also at activation if it already is)' },
		],
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'number',
		default: 0,
		displayOptions: { show },
		description: 'The number the value is compared with, e.g. 100 users. Strict: a value equal to it is neither above nor below. Set it before activating: Is Below 0 (the default) never fires for counts.',
	},
	{
		displayName: 'Project Timezone',
		name: 'timezone',
		type: 'string',
		default: 'UTC',
		placeholder: 'e.g. Europe/Berlin',
		displayOptions: { show },
		description: "The project's timezone as set in OpenPanel (its day boundaries), an IANA name: when a bucket has ended is judged in it",
	},
];

type Condition = 'above' | 'below';
/** Time windows that end with today: a sum over them is never final. */
const RUNNING_WINDOWS = ['today', '7d', '30d', 'monthToDate'];
const UNITS: Record<string, DateTimeUnit> = { hour: 'hour', day: 'day', week: 'week', month: 'month' };

/** A parameter error: the message names the parameter, the description the fix. */
function parameterError(context: IPollFunctions, message: string, fix: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { description: fix });
}

/** The window OpenPanel computes for `range` at `now` (in the project's timezone): [start, end). */
function windowOf(range: string, now: DateTime): { start: DateTime; end: DateTime } {
	const today = now.startOf('day');
	const tomorrow = today.plus({ days: 1 });
	if (range === '7d') return { start: today.minus({ days: 6 }), end: tomorrow };
	if (range === '30d') return { start: today.minus({ days: 29 }), end: tomorrow };
	const { start, end } = calendarRange(range === 'monthToDate' ? 'thisMonth' : range, {}, now);
	return { start, end: end.plus({ milliseconds: 1 }) };
}

const isMet = (condition: Condition, value: number, threshold: number) => (condition === 'above' ? value > threshold : value < threshold);

export async function poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const condition = this.getNodeParameter('condition', 'below') as Condition;
	if (condition !== 'above' && condition !== 'below') throw parameterError(this, `Condition "${String(condition)}" is not one of above, below`, 'Choose Is Above or Is Below.');
	const threshold = readNumberInRange(this.getNode(), this.getNodeParameter('threshold', 0), { label: 'Threshold', min: -Infinity });
	const range = String(this.getNodeParameter('timeWindow', 'yesterday'));
	if (!WINDOW_OPTIONS.some((option) => option.value === range)) {
		throw parameterError(this, `Time Window "${range}" is not one of ${WINDOW_OPTIONS.map((o) => o.value).join(', ')}`, 'Choose a Time Window from the list.');
	}
	const interval = String(this.getNodeParameter('interval', 'day'));
	const unit = UNITS[interval];
	if (!unit) throw parameterError(this, `Interval "${interval}" is not one of ${Object.keys(UNITS).join(', ')}`, 'Choose an Interval from the list.');
	const valueFrom = this.getNodeParameter('valueFrom', 'latest') === 'sum' ? 'sum' : 'latest';
	// A window that runs until the end of today never ends before it moves on: its sum is never final.
	if (valueFrom === 'sum' && RUNNING_WINDOWS.includes(range)) {
		throw parameterError(
			this,
			`Value "Sum of Window" is never final for Time Window "${WINDOW_OPTIONS.find((o) => o.value === range)?.name ?? range}"`,
			'That window runs until the end of today, so its sum is never complete. Choose Time Window Yesterday or Last Month for a sum, or Value Latest Bucket to judge its last complete bucket.',
		);
	}
	const timezone = String(this.getNodeParameter('timezone', 'UTC') ?? '').trim() || 'UTC';
	const now = DateTime.now().setZone(timezone);
	if (!now.isValid) throw parameterError(this, `Project Timezone "${timezone}" does not exist`, "Use the project's IANA timezone name as set in OpenPanel, such as Europe/Berlin or UTC.");
	const serie = chartSeries(
		this.getNode(),
		{ event: this.getNodeParameter('eventName', ''), segment: this.getNodeParameter('segment', 'event'), property: this.getNodeParameter('property', '') },
		'Metric Threshold',
	);
	const projectId = await projectIdOrDefault(this, this.getNodeParameter('projectId', ''));
	const segment = SEGMENT_OPTIONS.find((option) => option.value === serie.segment)?.name ?? String(serie.segment);
	const chart = `the chart of ${segment} of "${String(serie.name)}" ${projectId ? `in project "${projectId}"` : "in the client's project"}`;

	// Which buckets are complete: those that ended SETTLE_MINUTES ago, inside the window.
	const window = windowOf(range, now);
	const settled = now.minus({ minutes: SETTLE_MINUTES });
	const lastInWindow = window.end.minus({ milliseconds: 1 }).startOf(unit);
	const lastComplete = settled.startOf(unit).minus({ [unit]: 1 });
	const bucket = lastComplete < lastInWindow ? lastComplete : lastInWindow;
	const dataComplete = valueFrom === 'sum' ? window.end <= settled : bucket >= window.start.startOf(unit) && bucket.plus({ [unit]: 1 }) <= settled;
	// Not final yet: judging it now would compare partial numbers. No request; the state waits.
	if (!dataComplete && !manual) return [];

	const answer = await fetchChart(this, { ...(projectId ? { projectId, project_id: projectId } : {}), series: [serie], interval, range, previous: false }, chart);
	// OpenPanel leaves out a series without events in the window: that is a count of 0.
	const points = (answer.series.find((s: ChartSerie) => s.event?.name === serie.name) ?? {}).data ?? [];
	// ClickHouse's "2026-11-30 00:00:00", in the project's timezone; ISO text is read too.
	const dateOf = (date: unknown) => {
		const sql = DateTime.fromSQL(String(date ?? ''), { zone: timezone });
		return sql.isValid ? sql : DateTime.fromISO(String(date ?? ''), { zone: timezone });
	};
	const inBucket = points.find((point) => dateOf(point.date).toMillis() === bucket.toMillis());
	// OpenPanel fills every bucket of a series it returns: points without this bucket mean its
	// buckets are not where this trigger expects them (another timezone or week start), and a 0 would be a false alarm.
	if (valueFrom === 'latest' && dataComplete && points.length && !inBucket) {
		throw new NodeOperationError(this.getNode(), `OpenPanel's answer for ${chart} has no bucket starting ${bucket.toISO({ suppressMilliseconds: true }) ?? ''}`, {
			description: `Its buckets start ${points.slice(-3).map((point) => String(point.date)).join(', ')}. Set Project Timezone to the project's timezone in OpenPanel (its day and week boundaries).`,
		});
	}
	const value = valueFrom === 'sum' ? points.reduce((sum, point) => sum + (point.count ?? 0), 0) : (inBucket?.count ?? 0);

	// What the last polls saw, unless they watched something else.
	const target = [projectId, JSON.stringify(serie), range, interval, valueFrom, condition, threshold, timezone].join('|');
	const known = state.target === target ? state : {};
	const previous = typeof known.lastValue === 'number' ? known.lastValue : null;
	const met = isMet(condition, value, threshold);
	// Fires on the change from not met to met: the previous value did not meet it.
	const fires = met && !(previous !== null && isMet(condition, previous, threshold));
	if (!manual) stateFor(state, target).lastValue = value;
	if (!fires && !manual) return [];
	return [
		{
			json: {
				event: 'metricThreshold',
				projectId: projectId || null,
				eventName: serie.name,
				count: serie.segment,
				timeWindow: range,
				interval,
				bucket: valueFrom === 'sum' ? null : bucket.toISO({ suppressMilliseconds: true }),
				value,
				previousValue: previous,
				condition,
				threshold,
				conditionMet: met,
				// False only in Fetch Test Event: an active trigger skips such polls.
				dataComplete,
				checkedAt: now.startOf('second').toISO({ suppressMilliseconds: true }),
			},
		},
	];
}

export const metricThreshold: TriggerEvent = { description, poll };
