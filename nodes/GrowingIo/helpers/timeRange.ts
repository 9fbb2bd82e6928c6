import { DateTime } from 'luxon';

/**
 * Report time ranges. GrowingIO takes Unix milliseconds and its day boundaries are Beijing time,
 * so ranges run from 00:00:00.000 of the first day to 23:59:59.999 of the last day in the chosen
 * timezone (Asia/Shanghai by default), like the samples in GrowingIO's docs.
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

/** GrowingIO's clock: its days, export periods and link times are Beijing time. */
export const BEIJING_TIME = 'Asia/Shanghai';
/** The Timezone parameters' default: GrowingIO's own days. */
export const DEFAULT_TIMEZONE = BEIJING_TIME;

/** Statistics lag about 30 minutes behind events. */
const PROCESSING_DELAY_MINUTES = 30;
/**
 * Hour of the Beijing day from which GrowingIO has finished the previous Beijing day: its daily
 * jobs run after midnight, can take 3–4 hours, and its docs advise reading the day after 06:00.
 */
export const PREVIOUS_DAY_COMPLETE_HOUR = 6;

export interface DataCompleteness {
	/** Numbers before this moment are complete now; those after it may still grow. */
	completeUntil: DateTime;
	/** Numbers before this moment (a Beijing midnight) are final: no daily job changes them again. */
	finalUntil: DateTime;
}

/**
 * GrowingIO's one completeness rule, in Beijing time whatever timezone the workflow uses: numbers
 * lag about 30 minutes, and until `readyHour` (06:00 by default) Beijing time its daily jobs
 * are still finishing the previous Beijing day, so nothing from that day's start on is complete.
 * Used by Options → Exclude Incomplete Data, by Metric Threshold (which skips polls of an
 * incomplete window) and by Dashboard Digest's Ready At (which sends a day once it is final).
 */
export function dataCompleteness(now: DateTime, readyHour = PREVIOUS_DAY_COMPLETE_HOUR): DataCompleteness {
	const beijing = now.setZone(BEIJING_TIME);
	const lagged = now.minus({ minutes: PROCESSING_DELAY_MINUTES });
	const today = beijing.startOf('day');
	const lastFinishedDayEnd = beijing.hour < readyHour ? today.minus({ days: 1 }) : today;
	const completeUntil = beijing.hour < readyHour && lagged > lastFinishedDayEnd ? lastFinishedDayEnd : lagged;
	return { completeUntil, finalUntil: lastFinishedDayEnd < completeUntil ? lastFinishedDayEnd : completeUntil };
}

/**
 * Whether GrowingIO's numbers for a window are complete at `now` by dataCompleteness: a window
 * that has ended must end before `completeUntil`; one that runs until now may only lack its live
 * last 30 minutes (always partial, as the user chose).
 */
export function isWindowComplete(range: Pick<TimeRange, 'endTime'>, now: DateTime): boolean {
	const { completeUntil } = dataCompleteness(now);
	if (range.endTime < now.toMillis()) return range.endTime < completeUntil.toMillis();
	return completeUntil >= now.minus({ minutes: PROCESSING_DELAY_MINUTES });
}

export interface TimeRangeInput {
	preset: string;
	/** Custom range: dates or date-times (ISO text, or what n8n's date picker gives). */
	start?: unknown;
	end?: unknown;
	timezone?: string;
	excludeIncompleteData?: boolean;
	now?: DateTime;
}

export interface TimeRange {
	startTime: number;
	endTime: number;
	timezone: string;
	/** Whole days covered (rounded up), for limits such as "hourly only up to 7 days". */
	days: number;
}

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

/** A date or date-time parameter (ISO text, JS Date or luxon DateTime) in `zone`; errors name the parameter. */
export function parseDate(value: unknown, parameter: string, zone: string): DateTime {
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
				? (value as DateTime).setZone(zone)
				: DateTime.fromISO(String(value).trim(), { zone });
	if (!parsed.isValid) {
		throw new TimeRangeError(
			`${parameter} "${String(value)}" is not a date`,
			parameter,
			`Use a date such as 2026-11-01 or 2026-11-01T08:00:00 (an ISO date), or pick one with the date picker.`,
		);
	}
	return parsed;
}

export function resolveTimeRange(input: TimeRangeInput): TimeRange {
	const timezone = (input.timezone ?? '').trim() || DEFAULT_TIMEZONE;
	const now = (input.now ?? DateTime.now()).setZone(timezone);
	if (!now.isValid) {
		throw new TimeRangeError(
			`Timezone "${timezone}" does not exist`,
			'Timezone',
			'Use an IANA timezone name such as Asia/Shanghai (GrowingIO\'s own), Europe/Berlin or UTC.',
		);
	}
	const today = now.startOf('day');
	let start: DateTime;
	let end: DateTime;
	switch (input.preset as TimeRangePreset) {
		case 'today':
			[start, end] = [today, today.endOf('day')];
			break;
		case 'yesterday':
			[start, end] = [today.minus({ days: 1 }), today.minus({ days: 1 }).endOf('day')];
			break;
		// "Last N days" are the N complete days before today, like GrowingIO's 过去N天.
		case 'last7Days':
			[start, end] = [today.minus({ days: 7 }), today.minus({ days: 1 }).endOf('day')];
			break;
		case 'last30Days':
			[start, end] = [today.minus({ days: 30 }), today.minus({ days: 1 }).endOf('day')];
			break;
		// Weeks start on Monday (ISO, and GrowingIO's UI).
		case 'thisWeek':
			[start, end] = [today.startOf('week'), today.endOf('day')];
			break;
		case 'lastWeek':
			[start, end] = [today.startOf('week').minus({ weeks: 1 }), today.startOf('week').minus({ weeks: 1 }).endOf('week')];
			break;
		case 'thisMonth':
			[start, end] = [today.startOf('month'), today.endOf('day')];
			break;
		case 'lastMonth':
			[start, end] = [today.startOf('month').minus({ months: 1 }), today.startOf('month').minus({ months: 1 }).endOf('month')];
			break;
		case 'custom':
			// A bare date means the whole day; a date-time is taken as given.
			start = parseDate(input.start, 'Start Date', timezone);
			end = parseDate(input.end, 'End Date', timezone);
			if (start.equals(start.startOf('day')) && end.equals(end.startOf('day'))) end = end.endOf('day');
			break;
		default:
			throw new TimeRangeError(
				`Time Range "${String(input.preset)}" is not one of the presets`,
				'Time Range',
				`Use one of: ${TIME_RANGE_PRESETS.join(', ')}.`,
			);
	}

	if (end < start) {
		throw new TimeRangeError(
			`End Date (${end.toISODate()}) is before Start Date (${start.toISODate()})`,
			'End Date',
			'Swap the two dates, or pick an End Date on or after the Start Date.',
		);
	}
	// Only Custom ranges can reach past today; GrowingIO has no numbers for days still to come.
	const future = start > now ? 'Start Date' : end > today.endOf('day') ? 'End Date' : undefined;
	if (future) {
		throw new TimeRangeError(
			`${future} (${(future === 'Start Date' ? start : end).toISODate()}) is in the future (today is ${today.toISODate()} in ${timezone})`,
			future,
			`GrowingIO has data only up to now. Pick today or an earlier day as ${future}, or use a preset such as This Week or This Month, which end today.`,
		);
	}

	if (input.excludeIncompleteData) {
		// In the chosen timezone for the message; the rule itself runs on Beijing time.
		const completeUntil = dataCompleteness(now).completeUntil.setZone(timezone);
		if (end > completeUntil) end = completeUntil.minus({ milliseconds: 1 });
		if (end < start) {
			throw new TimeRangeError(
				`GrowingIO has no complete data for this time range yet (data is complete up to ${completeUntil.toFormat('yyyy-MM-dd HH:mm')} ${timezone})`,
				'Exclude Incomplete Data',
				'Choose an earlier range, or turn off Exclude Incomplete Data to get the partial numbers. Statistics lag about 30 minutes; the previous day is complete after about 06:00 Beijing time.',
			);
		}
	}

	return {
		startTime: start.toMillis(),
		endTime: end.toMillis(),
		timezone,
		days: Math.ceil(end.diff(start, 'days').days),
	};
}
