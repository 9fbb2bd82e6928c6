import { DateTime } from 'luxon';
import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Calendar time ranges shared by every service: presets or custom dates in a timezone, days
 * from 00:00:00.000 to 23:59:59.999, weeks starting on Monday (ISO). Each service turns the range
 * into what its API takes (GrowingIO Unix milliseconds, SaferMe ISO 8601) and adds its own rules.
 */

export const TIME_RANGE_PRESETS = [
	'today',
	'yesterday',
	'last7Days',
	'last30Days',
	'thisWeek',
	'lastWeek',
	'thisMonth',
	'lastMonth',
	'custom',
] as const;
export type TimeRangePreset = (typeof TIME_RANGE_PRESETS)[number];

/** The presets as a Time Range options list, sorted by name as n8n's verification asks. */
export const TIME_RANGE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Custom', value: 'custom' },
	{ name: 'Last 30 Days', value: 'last30Days', description: 'The 30 complete days before today' },
	{ name: 'Last 7 Days', value: 'last7Days', description: 'The 7 complete days before today' },
	{ name: 'Last Month', value: 'lastMonth' },
	{ name: 'Last Week', value: 'lastWeek', description: 'Monday to Sunday of the previous week' },
	{ name: 'This Month', value: 'thisMonth' },
	{ name: 'This Week', value: 'thisWeek', description: 'Monday to today' },
	{ name: 'Today', value: 'today' },
	{ name: 'Yesterday', value: 'yesterday' },
];

/** A user mistake in the time range; `parameter` is the field to point at. */
export class TimeRangeError extends Error {
	constructor(
		message: string,
		readonly parameter: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'TimeRangeError';
	}
}

/**
 * A date or date-time parameter (ISO text, JS Date or luxon DateTime) in `zone`; errors name the
 * parameter. With `keepOffset`, a text or DateTime with its own offset keeps it (its date as
 * written); `zone` then only fills in a missing one.
 */
export function parseDate(value: unknown, parameter: string, zone: string, { keepOffset = false }: { keepOffset?: boolean } = {}): DateTime {
	if (value === undefined || value === null || String(value).trim() === '') {
		throw new TimeRangeError(`${parameter} is empty`, parameter, `Pick a date for ${parameter}, or choose a preset instead of Custom.`);
	}
	if (typeof value === 'object' && !(value instanceof Date) && !DateTime.isDateTime(value)) {
		throw new TimeRangeError(
			`${parameter} must be a date, but the expression gave ${Array.isArray(value) ? 'a list' : 'an object'}`,
			parameter,
			`Make the expression for ${parameter} return one date, e.g. {{ $json.date }} instead of {{ $json }}, or text such as 2026-11-01.`,
		);
	}
	const parsed =
		value instanceof Date
			? DateTime.fromJSDate(value, { zone })
			: DateTime.isDateTime(value)
				? keepOffset
					? (value as DateTime)
					: (value as DateTime).setZone(zone)
				: DateTime.fromISO(String(value).trim(), { zone, setZone: keepOffset });
	if (!parsed.isValid) {
		throw new TimeRangeError(
			`${parameter} "${String(value)}" is not a date`,
			parameter,
			`Use a date such as 2026-11-01 or 2026-11-01T08:00:00 (an ISO date), or pick one with the date picker.`,
		);
	}
	return parsed;
}

/** "Now" in `timezone`; a zone that does not exist is a TimeRangeError naming Timezone. */
export function nowIn(timezone: string, now: DateTime = DateTime.now()): DateTime {
	const zoned = now.setZone(timezone);
	if (!zoned.isValid) {
		throw new TimeRangeError(`Timezone "${timezone}" does not exist`, 'Timezone', 'Use an IANA timezone name such as Asia/Shanghai, Europe/Berlin or UTC.');
	}
	return zoned;
}

/**
 * The first and last moment of `preset` as of `now` (zoned). "Last N days" are the N complete days
 * before today; This Week and This Month end today. Custom: a bare date on both sides means whole
 * days; a date-time is taken as given.
 */
export function calendarRange(preset: string, custom: { start?: unknown; end?: unknown }, now: DateTime): { start: DateTime; end: DateTime } {
	const zone = now.zoneName ?? 'UTC';
	const today = now.startOf('day');
	const endOfYesterday = today.minus({ days: 1 }).endOf('day');
	const week = today.startOf('week');
	const month = today.startOf('month');
	const ranges: Record<TimeRangePreset, () => [DateTime, DateTime]> = {
		today: () => [today, today.endOf('day')],
		yesterday: () => [today.minus({ days: 1 }), endOfYesterday],
		last7Days: () => [today.minus({ days: 7 }), endOfYesterday],
		last30Days: () => [today.minus({ days: 30 }), endOfYesterday],
		thisWeek: () => [week, today.endOf('day')],
		lastWeek: () => [week.minus({ weeks: 1 }), week.minus({ weeks: 1 }).endOf('week')],
		thisMonth: () => [month, today.endOf('day')],
		lastMonth: () => [month.minus({ months: 1 }), month.minus({ months: 1 }).endOf('month')],
		custom: () => {
			const start = parseDate(custom.start, 'Start Date', zone);
			const end = parseDate(custom.end, 'End Date', zone);
			const wholeDays = start.equals(start.startOf('day')) && end.equals(end.startOf('day'));
			return [start, wholeDays ? end.endOf('day') : end];
		},
	};
	const range = (ranges as Record<string, (() => [DateTime, DateTime]) | undefined>)[preset];
	if (!range) {
		throw new TimeRangeError(`Time Range "${String(preset)}" is not one of the presets`, 'Time Range', `Use one of: ${TIME_RANGE_PRESETS.join(', ')}.`);
	}
	const [start, end] = range();
	if (end < start) {
		throw new TimeRangeError(
			`End Date (${end.toISODate()}) is before Start Date (${start.toISODate()})`,
			'End Date',
			'Swap the two dates, or pick an End Date on or after the Start Date.',
		);
	}
	return { start, end };
}
