import { DateTime } from 'luxon';

import { calendarRange, nowIn } from '../../../core/helpers/timeRange';

/**
 * Analytics time ranges: a preset or custom dates in the chosen timezone (the shared calendar
 * rules), sent to SaferMe as UTC ISO 8601 timestamps. SaferMe's end is the first moment after the
 * range (midnight after its last day).
 */

export interface AnalyticsRange {
	start: DateTime;
	end: DateTime;
	timezone: string;
}

export function resolveRange(preset: string, timezone: string, custom: { start?: unknown; end?: unknown }, now = DateTime.now()): AnalyticsRange {
	const zone = timezone.trim() || 'UTC';
	const { start, end } = calendarRange(preset, custom, nowIn(zone, now));
	return { start, end: end.plus({ milliseconds: 1 }), timezone: zone };
}

/** SaferMe's timestamp form, e.g. 2016-01-01T00:00:00Z. */
export const isoUtc = (moment: DateTime): string => moment.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
