import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type IDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

type Show = NonNullable<IDisplayOptions['show']>;

import { parseDate } from '../../../core/helpers/timeRange';
import type { ServiceContext } from '../../../core/transport/serviceRequest';
import { getOpenPanelSettings } from '../transport';
import { DAY_MS } from './utcDays';

/** Parameters shared by the operations, read and checked the same way everywhere. */

/**
 * The project: picked from the organization's projects (root clients) or typed as an ID. Saved
 * workflows from before the picker hold a plain string here; n8n passes it through unchanged.
 */
export const projectIdProperty = (show?: Show, action = 'read'): INodeProperties => ({
	displayName: 'Project',
	name: 'projectId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: `The project to ${action}. Empty: the credential's Project ID, or a read client's own project. A root client needs one.`,
	...(show ? { displayOptions: { show } } : {}),
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a project (root clients)…',
			typeOptions: { searchListMethod: 'searchProjects', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. my-website' },
	],
});

/** One event of the project, picked from its event names (a series' event, a funnel step). */
export const eventNameProperty: INodeProperties = {
	displayName: 'Event Name or ID',
	name: 'event',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getEventNames', loadOptionsDependsOn: ['projectId.value'] },
	default: '',
	description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

/** The project named in the node, else the credential's; empty means a read client's own project. */
export async function readProjectId(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	return await projectIdOrDefault(context, context.getNodeParameter('projectId', itemIndex, '', { extractValue: true }), itemIndex);
}

/**
 * `fromNode` when set, else the credential's Project ID (for list searches and the trigger too).
 * `fromNode` is a plain ID or a resource locator's `{ mode, value }` (an editor's current value).
 */
export async function projectIdOrDefault(context: ServiceContext, fromNode: unknown, itemIndex?: number): Promise<string> {
	const value = fromNode !== null && typeof fromNode === 'object' && 'value' in fromNode ? (fromNode as { value: unknown }).value : fromNode;
	const text = String(value ?? '').trim();
	return text || (await getOpenPanelSettings(context, itemIndex)).projectId;
}

/**
 * The project segment of an /insights path. A read client's path project is ignored by OpenPanel
 * (its own project is used), so any placeholder works for it; a root client must name one.
 */
export function insightsProjectSegment(projectId: string): string {
	return encodeURIComponent(projectId || '-');
}

/** `YYYY-MM-DD` as written (a date-time's date part is taken as written, not converted). */
function readDay(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string | undefined {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	const written = raw instanceof Date || DateTime.isDateTime(raw) ? raw : String(raw ?? '').trim().replace(' ', 'T');
	if (written === '') return undefined;
	try {
		const day = parseDate(written, label, 'UTC', { keepOffset: true }).toISODate();
		// A day first: ISO's shorter forms (2026-01, 2026-W05) are not what the field asks for.
		if (day && (typeof written !== 'string' || /^\d{4}-\d{2}-\d{2}(?:T|$)/.test(written))) return day;
	} catch {
		// parseDate's TimeRangeError: not a date; told below in this field's terms.
	}
	throw new NodeOperationError(context.getNode(), `${label} must be a day as YYYY-MM-DD (got "${String(raw).trim()}")`, {
		itemIndex,
		description: `Set ${label} to a day such as 2026-01-31, or an expression such as {{ $today.minus(1, 'day').toISODate() }}.`,
	});
}

/** Start and End Date: both or neither; OpenPanel silently ignores one date given alone. */
export function readDayPair(context: IExecuteFunctions, itemIndex: number, startName = 'startDate', endName = 'endDate'): { start: string; end: string } | undefined {
	const start = readDay(context, startName, 'Start Date', itemIndex);
	const end = readDay(context, endName, 'End Date', itemIndex);
	if (!start && !end) return undefined;
	if (!start || !end) {
		const missing = start ? 'End Date' : 'Start Date';
		throw new NodeOperationError(context.getNode(), `${missing} is empty while ${start ? 'Start Date' : 'End Date'} is set`, {
			itemIndex,
			description: `Set both Start Date and End Date, or clear both. OpenPanel ignores a single date and would silently return a different range.`,
		});
	}
	if (start > end) {
		throw new NodeOperationError(context.getNode(), `Start Date (${start}) is after End Date (${end})`, { itemIndex, description: 'Swap the two dates.' });
	}
	return { start, end };
}

/** The intervals of Insight → Get Overview and the trigger's Metric Threshold (charts also have Minute). */
export const HOUR_TO_MONTH_INTERVALS = [
	{ name: 'Day', value: 'day' },
	{ name: 'Hour', value: 'hour' },
	{ name: 'Month', value: 'month' },
	{ name: 'Week', value: 'week' },
];

export const FILTER_OPERATORS = [
	{ name: 'Contains', value: 'contains' },
	{ name: 'Does Not Contain', value: 'doesNotContain' },
	{ name: 'Ends With', value: 'endsWith' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Greater Than or Equal', value: 'gte' },
	{ name: 'Is', value: 'is' },
	{ name: 'Is Empty', value: 'isNull' },
	{ name: 'Is Not', value: 'isNot' },
	{ name: 'Is Not Empty', value: 'isNotNull' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Less Than or Equal', value: 'lte' },
	{ name: 'Matches Regex', value: 'regex' },
	{ name: 'Starts With', value: 'startsWith' },
];

export const filtersProperty = (show: Show): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Filter',
	default: {},
	description: 'Only events matching every filter',
	displayOptions: { show },
	options: [
		{
			displayName: 'Filter',
			name: 'filter',
			values: [
				{
					displayName: 'Property',
					name: 'property',
					type: 'string',
					default: '',
					placeholder: 'e.g. country, path, properties.plan, profile.email',
					description: 'An event field, properties.&lt;name&gt; for a custom property, or profile.&lt;field&gt;',
				},
				{ displayName: 'Operator', name: 'operator', type: 'options', options: FILTER_OPERATORS, default: 'is' },
				{
					displayName: 'Values',
					name: 'values',
					type: 'string',
					default: '',
					description: 'Comma-separated; the filter matches any of them (not used by Is Empty and Is Not Empty)',
				},
			],
		},
	],
});

export interface OpenPanelFilter extends IDataObject {
	name: string;
	operator: string;
	value: string[];
}

/** Filters → `[{name, operator, value[]}]` as OpenPanel takes them. */
export function readFilters(context: IExecuteFunctions, itemIndex: number): OpenPanelFilter[] {
	const rows = ((context.getNodeParameter('filters', itemIndex, {}) as IDataObject).filter as IDataObject[] | undefined) ?? [];
	return rows.map((row, index) => {
		const name = String(row.property ?? '').trim();
		const operator = String(row.operator ?? 'is');
		if (!name) {
			throw new NodeOperationError(context.getNode(), `Filters → Filter ${index + 1} → Property is empty`, {
				itemIndex,
				description: 'Enter the field to filter on, such as country or properties.plan, or remove the filter.',
			});
		}
		const value = String(row.values ?? '').split(',').map((v) => v.trim()).filter(Boolean);
		if (!value.length && operator !== 'isNull' && operator !== 'isNotNull') {
			throw new NodeOperationError(context.getNode(), `Filters → Filter ${index + 1} → Values is empty`, {
				itemIndex,
				description: `Enter the value(s) ${name} is compared with, separated by commas.`,
			});
		}
		return { name, operator, value };
	});
}

/** The range presets exactly as OpenPanel accepts them. */
const RANGE_OPTIONS = [
	{ name: 'Custom (Start and End Date)', value: 'custom' },
	{ name: 'Last 12 Months', value: '12m' },
	{ name: 'Last 24 Hours', value: 'last24h' },
	{ name: 'Last 3 Months', value: '3m' },
	{ name: 'Last 30 Days', value: '30d' },
	{ name: 'Last 30 Minutes', value: '30min' },
	{ name: 'Last 6 Months', value: '6m' },
	{ name: 'Last 7 Days', value: '7d' },
	{ name: 'Last Hour', value: 'lastHour' },
	{ name: 'Last Month', value: 'lastMonth' },
	{ name: 'Last Year', value: 'lastYear' },
	{ name: 'Month to Date', value: 'monthToDate' },
	{ name: 'Today', value: 'today' },
	{ name: 'Year to Date', value: 'yearToDate' },
	{ name: 'Yesterday', value: 'yesterday' },
];

export const rangeProperties = (show: Show, defaultRange = '7d'): INodeProperties[] => [
	{
		displayName: 'Range',
		name: 'range',
		type: 'options',
		options: RANGE_OPTIONS,
		default: defaultRange,
		description: "The period, in the project's timezone",
		displayOptions: { show },
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-01-01',
		description: 'First day of the period (YYYY-MM-DD)',
		displayOptions: { show: { ...show, range: ['custom'] } },
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-01-31',
		description: 'Last day of the period (YYYY-MM-DD, included)',
		displayOptions: { show: { ...show, range: ['custom'] } },
	},
];

/**
 * Range → query: a preset as `range`; Custom as `startDate` and `endDate` (OpenPanel reads a
 * date-only endDate as 00:00 of that day, so the end is sent as that day's last second).
 */
export function readRangeQuery(context: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const range = String(context.getNodeParameter('range', itemIndex, '7d'));
	if (!RANGE_OPTIONS.some((option) => option.value === range)) {
		throw new NodeOperationError(context.getNode(), `Range "${range}" is not one OpenPanel accepts`, {
			itemIndex,
			description: `Use one of ${RANGE_OPTIONS.map((o) => o.value).join(', ')}.`,
		});
	}
	if (range !== 'custom') return { range };
	const days = readDayPair(context, itemIndex);
	if (!days) {
		throw new NodeOperationError(context.getNode(), 'Start Date and End Date are empty while Range is Custom', {
			itemIndex,
			description: 'Set both dates, or choose a preset Range.',
		});
	}
	const endOfDay = new Date(Date.parse(`${days.end}T00:00:00Z`) + DAY_MS - 1000).toISOString().slice(0, 19);
	return { range, startDate: `${days.start}T00:00:00`, endDate: endOfDay };
}

/** Return All / Limit of a list operation (Limit read with readLimit). */
export const limitProperties = (show: Show): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];
