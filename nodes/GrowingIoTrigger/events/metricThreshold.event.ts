import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { optionsCollection, resourceLocator, workersSharingProjectOption } from '../../GrowingIo/actions/common.descriptions';
import { intervalField, timeRangeFields } from '../../GrowingIo/actions/report.descriptions';
import { resolveResourceId } from '../../GrowingIo/helpers/ids';
import { fetchReport, reportToItems } from '../../GrowingIo/helpers/report';
import { INTERVAL_MS } from '../../GrowingIo/helpers/reportParameters';
import { isWindowComplete, resolveTimeRange } from '../../GrowingIo/helpers/timeRange';
import { stateFor, type TriggerEvent } from '../../../core/trigger/pollEvents';
import { parameterError, readNumberParameter, readTimezone, timezoneField, withParameterErrors } from './event';

/**
 * Metric Threshold: reads one metric of a chart on every poll and emits when the condition
 * becomes true — not on every poll while it stays true. Above and Below fire again only after
 * the value went back; Crosses fires on each crossing; Changes By compares with the value at
 * the last alert (or the first poll), so a slow drift is caught too. A poll whose time window
 * GrowingIO has not finished (the previous Beijing day before 06:00 Beijing time, the last 30
 * minutes of a window that has just ended) is skipped: partial numbers would fire false alarms.
 */

const show = { event: ['metricThreshold'] };

/** The report Time Range presets that make sense to poll (no fixed or custom ranges). */
const WINDOW_PRESETS = ['today', 'yesterday', 'last7Days', 'last30Days', 'thisWeek', 'thisMonth'];
const [timeRange] = timeRangeFields(show);
const timeWindowField: INodeProperties = {
	...timeRange,
	displayName: 'Time Window',
	default: 'yesterday',
	options: timeRange.options?.filter((option) => 'value' in option && WINDOW_PRESETS.includes(String(option.value))),
	description:
		'The chart\'s time range on each poll, in the timezone below. Yesterday suits a daily KPI; Today and This Week/Month end in the day still filling up.',
};

export const description: INodeProperties[] = [
	resourceLocator({
		name: 'chartId',
		displayName: 'Chart',
		description: 'The event-analysis chart (单图 / 事件分析) whose metric to watch',
		searchListMethod: 'searchCharts',
		urlExample: 'chart/Lw3kP9sD',
		show,
	}),
	{
		displayName: 'Metric Name or ID',
		name: 'metric',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getChartMetrics', loadOptionsDependsOn: ['chartId.value'] },
		default: '',
		displayOptions: { show },
		description:
			'The metric column to watch, named as in the chart\'s output (e.g. 访问用户量; the ID is that name, empty for the chart\'s first metric). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Value',
		name: 'valueFrom',
		type: 'options',
		default: 'latest',
		displayOptions: { show },
		options: [
			{ name: 'Latest Row', value: 'latest', description: 'The metric in the chart\'s last row: the newest time bucket of a chart without a split' },
			{ name: 'Sum of Rows', value: 'sum', description: 'The metric added up over every row in the time window' },
		],
		description: 'Which number of the chart is compared',
	},
	timeWindowField,
	{ ...intervalField(show), default: 'day' },
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'options',
		default: 'below',
		displayOptions: { show },
		options: [
			{ name: 'Is Above', value: 'above', description: 'Fires when the value goes above the threshold (also at activation if it already is)' },
			{ name: 'Is Below', value: 'below', description: 'Fires when the value goes below the threshold (also at activation if it already is)' },
			{ name: 'Crosses', value: 'crosses', description: 'Fires each time the value moves from one side of the threshold to the other' },
			{ name: 'Changes By More Than', value: 'changesBy', description: 'Fires when the value differs from the last alert (or the first poll) by more than a percentage' },
		],
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'number',
		// No numberPrecision: it would show 15000 as "15000.0000"; decimals are typed as they are.
		default: 0,
		displayOptions: { show: { ...show, condition: ['above', 'below', 'crosses'] } },
		description:
			'The number the metric is compared with, in the metric\'s own unit (e.g. 15000 visitors). Strict: a value equal to it is neither above nor below. Set it before activating: Is Below 0 (the default) never fires for counts.',
	},
	{
		displayName: 'Change (%)',
		name: 'changePercent',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 20,
		displayOptions: { show: { ...show, condition: ['changesBy'] } },
		description: 'Fires when the value is this many percent above or below the value of the last alert',
	},
	timezoneField(show, 'IANA timezone for the time window\'s day boundaries and the ISO times in the output. GrowingIO counts days in Beijing time.'),
	optionsCollection(show, [workersSharingProjectOption], { requestSettings: false }),
];

type Condition = 'above' | 'below' | 'crosses' | 'changesBy';
const CONDITIONS: Condition[] = ['above', 'below', 'crosses', 'changesBy'];

/** A chart for messages: its name and ID, or the ID alone when the name is unknown. */
export const chartLabel = (id: string, name: unknown): string => (typeof name === 'string' && name.trim() ? `"${name.trim()}" (${id})` : id);

const round = (value: number) => Math.round(value * 100) / 100;

type Side = 'above' | 'below';

/** Which side of the threshold a value is on; on the threshold itself it is on neither. */
const sideOf = (value: number, limit: number): Side | undefined => (value > limit ? 'above' : value < limit ? 'below' : undefined);

/**
 * Whether the condition holds now. Crosses compares with the last side the value was on, so
 * touching the threshold and going back is no crossing; Changes By compares with the value of
 * the last alert (or the first poll).
 */
export function conditionMet(condition: Condition, limit: number, value: number, lastSide: Side | undefined, baseline: number | null): boolean {
	switch (condition) {
		case 'above':
			return value > limit;
		case 'below':
			return value < limit;
		case 'crosses': {
			const side = sideOf(value, limit);
			return lastSide !== undefined && side !== undefined && side !== lastSide;
		}
		case 'changesBy':
			if (baseline === null) return false;
			return baseline === 0 ? value !== 0 : (Math.abs(value - baseline) / Math.abs(baseline)) * 100 > limit;
	}
}

export async function poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const condition = this.getNodeParameter('condition', 'below') as Condition;
	if (!CONDITIONS.includes(condition)) {
		throw parameterError(this, `Condition "${String(condition)}" is not one of ${CONDITIONS.join(', ')}`, 'Choose a Condition from the list.');
	}
	const limit =
		condition === 'changesBy'
			? readNumberParameter(this, 'changePercent', 'Change (%)', 20, { min: 0 })
			: readNumberParameter(this, 'threshold', 'Threshold', 0, { min: -Infinity });
	const locator = this.getNodeParameter('chartId') as INodeParameterResourceLocator;
	const chartId = await resolveResourceId.call(this, locator, 'Chart', 'chart');
	const metric = String(this.getNodeParameter('metric', '') ?? '').trim();
	const valueFrom = this.getNodeParameter('valueFrom', 'latest') as string;
	const timezone = readTimezone(this);
	const preset = String(this.getNodeParameter('timeRange', 'yesterday'));
	const now = DateTime.now();
	const range = withParameterErrors(this, () => resolveTimeRange({ preset, timezone, now }));
	const interval = INTERVAL_MS[String(this.getNodeParameter('interval', 'day'))];
	if (interval === undefined) throw parameterError(this, 'Interval is not one of Hour, Day, Week, Month', 'Choose an Interval from the list.');
	// GrowingIO is still finishing this window: judging it now would compare partial numbers (at
	// night, Yesterday reads low). Skip without a request; the state waits for the final numbers.
	const dataComplete = isWindowComplete(range, now);
	if (!dataComplete && !manual) return [];

	const report = await fetchReport.call(this, {
		kind: 'chart',
		id: chartId,
		qs: { startTime: range.startTime, endTime: range.endTime, interval },
		apiVersion: 'v2',
		maxWaitSeconds: 120,
		itemIndex: 0,
	});
	const chartName = typeof report.name === 'string' && report.name ? report.name : null;
	const metrics = report.meta.filter((column) => column.metric).map((column) => column.name);
	const column = metric || metrics[0];
	if (!column || !report.meta.some((c) => c.name === column)) {
		const chart = chartLabel(chartId, chartName ?? locator.cachedResultName);
		throw parameterError(
			this,
			metric ? `Metric "${metric}" is not a column of chart ${chart}` : `Chart ${chart} has no metric column`,
			`The chart's metrics are: ${metrics.join(', ') || 'none'}. Choose one from the Metric list, e.g. ${metrics[0] ?? '访问用户量'}.`,
		);
	}
	const rows = reportToItems(report, true, range.timezone).filter((row) => typeof row[column] === 'number');
	// No data in the window (yet): nothing to compare, and the state stays as it was.
	if (rows.length === 0) return [];
	const lastRow = rows[rows.length - 1];
	const value = valueFrom === 'sum' ? rows.reduce((sum, row) => sum + (row[column] as number), 0) : (lastRow[column] as number);

	// What the last polls saw, unless they watched something else (another chart, metric, threshold …).
	const target = [chartId, column, valueFrom, preset, interval, condition, limit, range.timezone].join('|');
	const known = state.target === target ? state : {};
	const previous = typeof known.lastValue === 'number' ? known.lastValue : null;
	const baseline = typeof known.baseline === 'number' ? known.baseline : null;
	const lastSide = known.lastSide === 'above' || known.lastSide === 'below' ? known.lastSide : undefined;
	const met = conditionMet(condition, limit, value, lastSide, baseline);
	// Above/Below fire on the change from false to true (the previous value did not meet it);
	// Crosses and Changes By are changes already.
	const wasMet = (condition === 'above' || condition === 'below') && previous !== null && conditionMet(condition, limit, previous, undefined, null);
	const fires = met && !wasMet;

	if (!manual) {
		const memory = stateFor(state, target);
		memory.lastValue = value;
		memory.lastSide = sideOf(value, limit) ?? lastSide ?? null;
		if (condition === 'changesBy' && (baseline === null || fires)) memory.baseline = value;
	}
	if (!fires && !manual) return [];
	const comparedWith = condition === 'changesBy' ? baseline : previous;
	return [
		{
			json: {
				event: 'metricThreshold',
				chartId,
				chartName,
				metric: column,
				value,
				previousValue: previous,
				...(condition === 'changesBy' ? { baselineValue: baseline } : {}),
				changePercent: comparedWith ? round(((value - comparedWith) / Math.abs(comparedWith)) * 100) : null,
				condition,
				[condition === 'changesBy' ? 'changePercentLimit' : 'threshold']: limit,
				conditionMet: met,
				// False only in Fetch Test Event: an active trigger skips such polls.
				dataComplete,
				checkedAt: now.setZone(range.timezone).startOf('second').toISO({ suppressMilliseconds: true }),
				row: valueFrom === 'sum' ? null : lastRow,
			},
		},
	];
}

export const metricThreshold: TriggerEvent = { description, poll };
