import type { INodeProperties } from 'n8n-workflow';

import { TIME_RANGE_OPTIONS } from '../../../core/helpers/timeRange';
import { optionsCollection, timezoneField } from './common.descriptions';

/** Parameters shared by every operation that reads report data (Chart, Funnel, Retention, Dashboard). */

type Show = Record<string, string[]>;

export function timeRangeFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Time Range',
			name: 'timeRange',
			type: 'options',
			default: 'last7Days',
			displayOptions: { show },
			options: TIME_RANGE_OPTIONS,
			description: 'Days run from 00:00 to 23:59:59.999 in Options → Timezone (Beijing time unless changed)',
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			required: true,
			displayOptions: { show: { ...show, timeRange: ['custom'] } },
			description: 'First day (from 00:00) or exact start time of the range',
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			required: true,
			displayOptions: { show: { ...show, timeRange: ['custom'] } },
			description: 'Last day (until 23:59:59.999) or exact end time of the range',
		},
	];
}

export function intervalField(show: Show): INodeProperties {
	return {
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		default: 'day',
		displayOptions: { show },
		options: [
			{ name: 'Hour', value: 'hour', description: 'Only for ranges of up to 7 days' },
			{ name: 'Day', value: 'day' },
			{ name: 'Week', value: 'week' },
			{ name: 'Month', value: 'month', description: 'GrowingIO months are 30 days' },
		],
		description: 'Size of each time bucket (数据粒度)',
	};
}

export function simplifyField(show: Show): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether to return a simplified version of the response instead of the raw data',
	};
}

export function reportOptions(show: Show, apiVersions: Array<'v1' | 'v2' | 'v3'>, extra: INodeProperties[] = []): INodeProperties {
	const versions = [
		{ name: 'V2 (Current)', value: 'v2', description: 'The current synchronous API' },
		{ name: 'V1 (Legacy)', value: 'v1', description: 'The old path; rows lack the 目标用户 column' },
		{ name: 'V3 Exporter', value: 'v3', description: 'Asynchronous: for heavy reports that time out on v2' },
	].filter((version) => apiVersions.includes(version.value as 'v1' | 'v2' | 'v3'));
	return optionsCollection(show, [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			default: 'v2',
			options: versions,
			description: 'Which GrowingIO API serves the data',
		},
		{
			displayName: 'Exclude Incomplete Data',
			name: 'excludeIncompleteData',
			type: 'boolean',
			default: false,
			description:
				'Whether to end the range where GrowingIO\'s numbers are final: about 30 minutes ago, and before yesterday until about 06:00 Beijing time',
		},
		...extra,
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 120,
			description: 'How long to wait for the v3 exporter to finish a report',
			displayOptions: { show: { apiVersion: ['v3'] } },
		},
		timezoneField('Timezone of the time range\'s day boundaries and of the ISO times in the output. GrowingIO counts days in Beijing time (Asia/Shanghai).'),
	]);
}

export interface OutputChoice {
	name: string;
	value: string;
	description: string;
}

/** Output of a report operation, shown with Simplify on; `options` include 'rows', the default (one item per data row). */
export function simplifiedOutputField(show: Show, options: OutputChoice[]): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		displayOptions: { show: { ...show, simplify: [true] } },
		options,
	};
}
