import { DateTime } from 'luxon';

/**
 * Analytics time ranges: a preset or custom dates in the chosen timezone, sent to SaferMe as UTC
 * ISO 8601 timestamps. The end is the first moment after the range (midnight after its last day).
 */

export const TIME_RANGE_PRESETS = ['today', 'yesterday', 'last7Days', 'last30Days', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'custom'] as const;

export interface AnalyticsRange {
	start: DateTime;
	end: DateTime;
	timezone: string;
}

/** A user mistake in the range; `parameter` is the field to point at. */
export class TimeRangeError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

function parseDate(value: unknown, parameter: string, zone: string): DateTime {
	const text = value instanceof Date ? value.toISOString() : DateTime.isDateTime(value) ? (value as DateTime).toISO() ?? '' : typeof value === 'string' ? value.trim() : '';
	if (text === '') throw new TimeRangeError(`${parameter} is empty`, `Pick a date for ${parameter}, or choose a preset instead of Custom.`);
	const parsed = DateTime.fromISO(text, { zone });
	if (!parsed.isValid) throw new TimeRangeError(`${parameter} "${text}" is not a date`, 'Use a date such as 2026-11-01 or 2026-11-01T08:00:00, or pick one with the date picker.');
	return parsed;
}

export function resolveRange(preset: string, timezone: string, custom: { start?: unknown; end?: unknown }, now = DateTime.now()): AnalyticsRange {
	const zone = timezone.trim() || 'UTC';
	const here = now.setZone(zone);
	if (!here.isValid) throw new TimeRangeError(`Timezone "${zone}" does not exist`, 'Use an IANA timezone name such as Pacific/Auckland, Europe/London or UTC.');
	const today = here.startOf('day');
	const tomorrow = today.plus({ days: 1 });
	const week = today.startOf('week');
	const month = today.startOf('month');
	const ranges: Record<string, () => [DateTime, DateTime]> = {
		today: () => [today, tomorrow],
		yesterday: () => [today.minus({ days: 1 }), today],
		// "Last N days" are the N whole days before today.
		last7Days: () => [today.minus({ days: 7 }), today],
		last30Days: () => [today.minus({ days: 30 }), today],
		thisWeek: () => [week, tomorrow],
		lastWeek: () => [week.minus({ weeks: 1 }), week],
		thisMonth: () => [month, tomorrow],
		lastMonth: () => [month.minus({ months: 1 }), month],
		custom: () => {
			const start = parseDate(custom.start, 'Start Date', zone);
			let end = parseDate(custom.end, 'End Date', zone);
			// A bare end date means the whole of that day.
			if (end.equals(end.startOf('day'))) end = end.plus({ days: 1 });
			return [start, end];
		},
	};
	const range = ranges[preset];
	if (!range) throw new TimeRangeError(`Time Range "${preset}" is not one of the presets`, `Use one of: ${TIME_RANGE_PRESETS.join(', ')}.`);
	const [start, end] = range();
	if (end <= start) throw new TimeRangeError(`End Date (${end.toISO()}) is not after Start Date (${start.toISO()})`, 'Pick an End Date after the Start Date.');
	return { start, end, timezone: zone };
}

/** SaferMe's timestamp form, e.g. 2016-01-01T00:00:00Z. */
export const isoUtc = (moment: DateTime): string => moment.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
