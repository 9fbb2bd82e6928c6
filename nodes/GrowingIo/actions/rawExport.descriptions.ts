import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from './common.descriptions';

/** Parameters shared by the Raw Export (原始数据导出) operations. */

type Show = Record<string, string[]>;

const DATA_TYPE_OPTIONS = [
	{ name: 'Action', value: 'action', description: 'Clicks, changes and form submits (action)' },
	{ name: 'Action Tag', value: 'action_tag', description: 'Which circle-selection rule each action matched (action_tag)' },
	{ name: 'Ad Activation', value: 'ads_track_activation', description: 'App activations from ad links (ads_track_activation)' },
	{ name: 'Ad Click', value: 'ads_track_click', description: 'Clicks on ad links (ads_track_click)' },
	{ name: 'Conversion Variable', value: 'evar', description: 'Conversion variables (evar)' },
	{ name: 'Custom Event', value: 'custom_event', description: 'Custom events with their event variables (custom_event)' },
	{ name: 'Page', value: 'page', description: 'Page views (page)' },
	{ name: 'Page Variable', value: 'pvar', description: 'Page variables sent from SDK code (pvar)' },
	{ name: 'Visit', value: 'visit', description: 'Visits with device, location and source (visit)' },
	{ name: 'Visitor Variable', value: 'vstr', description: 'Visitor variables (vstr)' },
];

/** What to export: the data types and daily or hourly files (also the trigger's Raw Export Ready fields). */
export function rawExportSourceFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'All Data Types',
			name: 'allDataTypes',
			type: 'boolean',
			default: false,
			displayOptions: { show },
			description: 'Whether to export every data type with one request per period (GrowingIO\'s all-types link) instead of the Data Types chosen below',
		},
		{
			displayName: 'Data Types',
			name: 'dataTypes',
			type: 'multiOptions',
			options: DATA_TYPE_OPTIONS,
			default: ['custom_event'],
			required: true,
			displayOptions: { show: { ...show, allDataTypes: [false] } },
			description: 'Which event tables to export; each is requested separately. An expression may give a list or comma-separated names such as custom_event,page.',
		},
		{
			displayName: 'Export Type',
			name: 'exportType',
			type: 'options',
			default: 'day',
			displayOptions: { show },
			options: [
				{ name: 'Day', value: 'day', description: 'One export per day, with the files of all its hours' },
				{ name: 'Hour', value: 'hour', description: 'One export per hour' },
			],
			description: 'GrowingIO\'s export_type: daily or hourly files',
		},
	];
}

export function rawExportFields(show: Show): INodeProperties[] {
	return [
		...rawExportSourceFields(show),
		{
			displayName: 'Date Range',
			name: 'dateRange',
			type: 'options',
			default: 'yesterday',
			displayOptions: { show },
			options: [
				{ name: 'Custom', value: 'custom', description: 'From Start to End, Beijing time' },
				{ name: 'Last N Days', value: 'lastDays', description: 'The N complete days before today, Beijing time' },
				{ name: 'Yesterday', value: 'yesterday', description: 'Yesterday in Beijing time (all 24 hours for hourly exports)' },
			],
			description:
				'Days or hours to export, asked one period at a time. Dates are Beijing time whatever the workflow\'s timezone; GrowingIO keeps the latest 15 days only.',
		},
		{
			displayName: 'Number of Days',
			name: 'days',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 15 },
			default: 3,
			displayOptions: { show: { ...show, dateRange: ['lastDays'] } },
			description: 'How many complete days before today to export, from 1 to 15',
		},
		{
			displayName: 'Start',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			required: true,
			displayOptions: { show: { ...show, dateRange: ['custom'] } },
			description: 'First day or hour to export, Beijing time: e.g. 2026-11-17, 2026-11-17T09:00 or GrowingIO\'s 2026111709',
		},
		{
			displayName: 'End',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			displayOptions: { show: { ...show, dateRange: ['custom'] } },
			description:
				'Last day or hour to export (included), Beijing time. Leave empty for the Start period only. For hourly exports, dates without a time (or 00:00) on Start and End mean whole days.',
		},
	];
}

/**
 * Only where links are handed on (Get Download Links, the trigger's link items): Download and
 * Get Rows use each link at once and ask for a fresh one when it has expired.
 */
export const linkLifetimeOption: INodeProperties = {
	displayName: 'Link Lifetime (Minutes)',
	name: 'expireMinutes',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10080 },
	default: 60,
	description: 'How long the download links stay valid (GrowingIO\'s expire, at most 10080 = 7 days)',
};

/** Options of every Raw Export operation (with the request settings), plus `extra` ones. */
export function rawExportOptions(show: Show, extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection(show, [
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 600,
			description: 'How long to wait for one export while GrowingIO is still preparing it (RUNNING), asking again after 2 s, 4 s … up to every minute',
		},
		{
			displayName: 'Skip Unavailable Periods',
			name: 'skipUnavailable',
			type: 'boolean',
			default: false,
			description:
				'Whether to leave out periods whose export does not exist (NOT_EXISTS), failed (ERROR) or is still running, instead of stopping with an error',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description: 'Whether to wait while GrowingIO is still preparing an export (RUNNING), up to Max Wait (Seconds)',
		},
		...extra,
	]);
}
