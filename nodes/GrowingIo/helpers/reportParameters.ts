import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { withNodeErrors } from '../transport/errors';
import { readNumberOption } from '../../../core/helpers/numberParameters';
import { DEFAULT_TIMEZONE, resolveTimeRange, type TimeRange } from './timeRange';

/** Reads the report parameters of report.descriptions.ts; bad values become errors naming them. */

export const INTERVAL_MS: Record<string, number> = {
	hour: 3600000,
	day: 86400000,
	week: 604800000,
	month: 2592000000,
};

/** GrowingIO serves hourly buckets only for ranges of up to 7 days. */
const MAX_HOURLY_DAYS = 7;

/** GrowingIO's report APIs: v1 (charts only), v2, and the asynchronous v3 exporter. */
export type ApiVersion = 'v1' | 'v2' | 'v3';

export interface ReportSettings {
	range: TimeRange;
	timezone: string;
	apiVersion: ApiVersion;
	maxWaitSeconds: number;
	simplify: boolean;
	options: IDataObject;
}

function asText(context: IExecuteFunctions, value: unknown, parameter: string, itemIndex: number): string {
	if (value !== null && typeof value === 'object' && !(value instanceof Date) && !('toISO' in value)) {
		throw new NodeOperationError(context.getNode(), `${parameter} must be text, but the expression gave an object`, {
			itemIndex,
			description: `Make the expression for ${parameter} return a single value, e.g. {{ $json.date }} instead of {{ $json }}.`,
		});
	}
	return value === undefined || value === null ? '' : String(value);
}

export function readReportSettings(this: IExecuteFunctions, itemIndex: number): ReportSettings {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const timezone = asText(this, options.timezone ?? DEFAULT_TIMEZONE, 'Options → Timezone', itemIndex);
	const preset = this.getNodeParameter('timeRange', itemIndex) as string;
	const input = {
		preset,
		start: preset === 'custom' ? this.getNodeParameter('startDate', itemIndex, '') : undefined,
		end: preset === 'custom' ? this.getNodeParameter('endDate', itemIndex, '') : undefined,
		timezone,
		excludeIncompleteData: options.excludeIncompleteData === true,
	};
	const range = withNodeErrors(this.getNode(), itemIndex, () => resolveTimeRange(input));
	const maxWaitSeconds = readNumberOption(
		this.getNode(),
		options,
		{ name: 'maxWaitSeconds', label: 'Max Wait (Seconds)', fallback: 120, min: 1, fix: 'Set Max Wait (Seconds) to e.g. 120, or remove the option.' },
		itemIndex,
	);
	return {
		range,
		timezone: range.timezone,
		apiVersion: (options.apiVersion as ApiVersion | undefined) ?? 'v2',
		maxWaitSeconds,
		simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
		options,
	};
}

/** The `interval` query value, refusing hourly buckets over more than 7 days. */
export function readInterval(this: IExecuteFunctions, itemIndex: number, range: TimeRange): number {
	const interval = this.getNodeParameter('interval', itemIndex) as string;
	const ms = INTERVAL_MS[interval];
	if (ms === undefined) {
		throw new NodeOperationError(this.getNode(), `Interval "${interval}" is not one of Hour, Day, Week, Month`, {
			itemIndex,
			description: 'Choose an Interval from the list, or make the expression return hour, day, week or month.',
		});
	}
	if (interval === 'hour' && range.days > MAX_HOURLY_DAYS) {
		throw new NodeOperationError(this.getNode(), `Interval Hour is only available for time ranges of up to ${MAX_HOURLY_DAYS} days (this one has ${range.days})`, {
			itemIndex,
			description: 'GrowingIO serves hourly data only for ranges of 7 days or less. Choose Interval Day, or a shorter Time Range.',
		});
	}
	return ms;
}

/** Output (shown with Simplify on): one of `choices`, 'rows' with Simplify off; an expression's typo is an error. */
export function readOutput(context: IExecuteFunctions, itemIndex: number, simplify: boolean, choices: Array<{ name: string; value: string }>): string {
	if (!simplify) return 'rows';
	const output = String(context.getNodeParameter('output', itemIndex, 'rows'));
	if (!choices.some((choice) => choice.value === output)) {
		throw new NodeOperationError(context.getNode(), `Output "${output}" is not one of ${choices.map((choice) => choice.name).join(', ')}`, {
			itemIndex,
			description: `Choose an Output from the list, or make the expression return ${choices.map((choice) => choice.value).join(' or ')}.`,
		});
	}
	return output;
}
