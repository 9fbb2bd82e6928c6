import { DateTime } from 'luxon';

import { calendarRange, nowIn, TimeRangeError } from '../../../core/helpers/timeRange';

/**
 * Report time ranges. GrowingIO takes Unix milliseconds and its day boundaries are Beijing time,
 * so ranges run from 00:00:00.000 of the first day to 23:59:59.999 of the last day in the chosen
 * timezone (Asia/Shanghai by default), like the samples in GrowingIO's docs.
 */

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

export function resolveTimeRange(input: TimeRangeInput): TimeRange {
	const timezone = (input.timezone ?? '').trim() || DEFAULT_TIMEZONE;
	const now = nowIn(timezone, input.now);
	const today = now.startOf('day');
	const range = calendarRange(input.preset, input, now);
	const { start } = range;
	let { end } = range;

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
