import { DateTime } from 'luxon';

import { BEIJING_TIME } from './timeRange';
import { parseDate, TimeRangeError } from '../../../core/helpers/timeRange';

// Every period here is Beijing time; the raw-export helpers take the zone from this module.

/**
 * The hours or days a raw export covers. GrowingIO names each export by its
 * start in Beijing time (`export_date`, yyyyMMddHHmm) whatever the workflow's timezone, keeps the
 * latest 15 days only, and is asked one period at a time.
 */

export const RAW_EXPORT_RETENTION_DAYS = 15;

export const EXPORT_TYPES = ['day', 'hour'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export const DATE_RANGES = ['yesterday', 'lastDays', 'custom'] as const;
export type DateRange = (typeof DATE_RANGES)[number];

export interface ExportPeriod {
	exportType: ExportType;
	/** GrowingIO's `export_date` as it echoes it: yyyyMMdd (day) or yyyyMMddHH (hour), Beijing time. */
	exportDate: string;
	/** Start of the period in Beijing time; the period ends one day or hour later. */
	start: DateTime;
	/** For messages: `2026-11-17` or `2026-11-17 09:00`. */
	label: string;
}

export interface ExportPeriodInput {
	exportType: unknown;
	dateRange: unknown;
	/** Last N Days. */
	days?: unknown;
	/** Custom: first and last day or hour, inclusive; an empty End means the Start period only. */
	start?: unknown;
	end?: unknown;
	now?: DateTime;
}

/** `export_date` as the request path wants it: the documented 12-digit form. */
export function requestDate(period: ExportPeriod): string {
	return period.start.toFormat('yyyyMMddHHmm');
}

export function periodEnd(period: ExportPeriod): DateTime {
	return period.start.plus(period.exportType === 'day' ? { days: 1 } : { hours: 1 });
}

const DIGIT_FORMATS: Record<number, string> = { 8: 'yyyyMMdd', 10: 'yyyyMMddHH', 12: 'yyyyMMddHHmm' };

interface ParsedMoment {
	time: DateTime;
	/** Given without a time of day (`2026-11-17`, `20261117`). */
	dateOnly: boolean;
}

/**
 * Reads Start or End as Beijing time: GrowingIO's own yyyyMMdd[HH[mm]], an ISO date or date-time
 * without offset (what n8n's date picker gives) as Beijing wall-clock time, and anything with an
 * offset (ISO text with Z or +hh:mm, a JS Date, a luxon DateTime from an expression) as that
 * moment, converted to Beijing time.
 */
export function parseBeijingMoment(value: unknown, parameter: string): ParsedMoment {
	const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
	if (typeof text === 'string') {
		const trimmed = text.trim();
		if (/^\d+$/.test(trimmed) && DIGIT_FORMATS[trimmed.length]) {
			const time = DateTime.fromFormat(trimmed, DIGIT_FORMATS[trimmed.length], { zone: BEIJING_TIME });
			if (!time.isValid) {
				throw new TimeRangeError(
					`${parameter} "${trimmed}" is not a date`,
					parameter,
					'Use a real date such as 20261117 or 2026111709 (GrowingIO\'s yyyyMMdd[HH]), or an ISO date such as 2026-11-17.',
				);
			}
			return { time, dateOnly: trimmed.length === 8 };
		}
		// "2026-11-17 09:00" as well as the ISO "2026-11-17T09:00".
		const iso = trimmed.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
		return { time: parseDate(iso, parameter, BEIJING_TIME), dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(iso) };
	}
	if (typeof value === 'number') {
		throw new TimeRangeError(
			`${parameter} ${value} is not a date`,
			parameter,
			'Use a date such as 2026-11-17, GrowingIO\'s yyyyMMdd[HH] (e.g. 20261117), or a date from an expression such as {{ $today.minus({ days: 1 }) }}.',
		);
	}
	return { time: parseDate(value, parameter, BEIJING_TIME).setZone(BEIJING_TIME), dateOnly: false };
}

function isMidnight(moment: ParsedMoment): boolean {
	return moment.dateOnly || moment.time.equals(moment.time.startOf('day'));
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function label(exportType: ExportType, start: DateTime): string {
	return start.toFormat(exportType === 'day' ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:00');
}

export function readExportType(value: unknown): ExportType {
	if (!EXPORT_TYPES.includes(value as ExportType)) {
		throw new TimeRangeError(`Export Type "${String(value)}" is not day or hour`, 'Export Type', 'Choose Day or Hour; an expression must give "day" or "hour".');
	}
	return value as ExportType;
}

function readDays(value: unknown): number {
	const days = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > RAW_EXPORT_RETENTION_DAYS) {
		throw new TimeRangeError(
			`Number of Days must be a whole number from 1 to ${RAW_EXPORT_RETENTION_DAYS} (got "${String(value)}")`,
			'Number of Days',
			`GrowingIO keeps raw data for the latest ${RAW_EXPORT_RETENTION_DAYS} days; choose 1 to ${RAW_EXPORT_RETENTION_DAYS}.`,
		);
	}
	return days;
}

/** First and last period start (inclusive) before any window check. */
function bounds(input: ExportPeriodInput, exportType: ExportType, today: DateTime): { first: DateTime; last: DateTime; parameter: string } {
	const wholeDays = (first: DateTime, last: DateTime) =>
		exportType === 'day' ? { first, last } : { first, last: last.plus({ hours: 23 }) };
	switch (input.dateRange as DateRange) {
		case 'yesterday':
			return { ...wholeDays(today.minus({ days: 1 }), today.minus({ days: 1 })), parameter: 'Date Range' };
		case 'lastDays': {
			const days = readDays(input.days);
			return { ...wholeDays(today.minus({ days }), today.minus({ days: 1 })), parameter: 'Number of Days' };
		}
		case 'custom': {
			if (isEmpty(input.start)) {
				throw new TimeRangeError('Start is empty', 'Start', 'Pick the first day or hour to export, e.g. 2026-11-17 or 2026-11-17T09:00, or choose another Date Range.');
			}
			const start = parseBeijingMoment(input.start, 'Start');
			const end = isEmpty(input.end) ? undefined : parseBeijingMoment(input.end, 'End');
			if (exportType === 'day') {
				return { first: start.time.startOf('day'), last: (end ?? start).time.startOf('day'), parameter: 'Start' };
			}
			// Hour exports: dates (or midnights) on both ends mean whole days, like n8n's date picker gives them.
			if (isMidnight(start) && (!end || isMidnight(end))) {
				return { ...wholeDays(start.time.startOf('day'), (end ?? start).time.startOf('day')), parameter: 'Start' };
			}
			return { first: start.time.startOf('hour'), last: (end ?? start).time.startOf('hour'), parameter: 'Start' };
		}
		default:
			throw new TimeRangeError(
				`Date Range "${String(input.dateRange)}" is not one of ${DATE_RANGES.join(', ')}`,
				'Date Range',
				'Choose Yesterday, Last N Days or Custom; an expression must give one of those values.',
			);
	}
}

/**
 * The periods to export, oldest first. Refuses ranges that GrowingIO cannot serve: older than
 * the 15-day retention window (counted from today in Beijing time) or starting in the future.
 */
export function resolveExportPeriods(input: ExportPeriodInput): ExportPeriod[] {
	const exportType = readExportType(input.exportType);
	const now = (input.now ?? DateTime.now()).setZone(BEIJING_TIME);
	const today = now.startOf('day');
	const { first, last, parameter } = bounds(input, exportType, today);
	const fmt = (time: DateTime) => label(exportType, time);

	if (last < first) {
		throw new TimeRangeError(`End (${fmt(last)}) is before Start (${fmt(first)})`, 'End', 'Pick an End on or after the Start, or leave End empty to export the Start period only.');
	}
	const earliest = today.minus({ days: RAW_EXPORT_RETENTION_DAYS });
	if (first < earliest) {
		throw new TimeRangeError(
			`${fmt(first)} is older than ${RAW_EXPORT_RETENTION_DAYS} days: GrowingIO keeps raw data for the latest ${RAW_EXPORT_RETENTION_DAYS} days only (the earliest day now is ${earliest.toFormat('yyyy-MM-dd')}, Beijing time)`,
			parameter,
			`Choose dates from ${earliest.toFormat('yyyy-MM-dd')} on. Raw data older than ${RAW_EXPORT_RETENTION_DAYS} days cannot be exported any more; schedule the export daily so nothing ages out.`,
		);
	}
	if (last > now) {
		throw new TimeRangeError(
			`${fmt(last)} is in the future (it is ${now.toFormat('yyyy-MM-dd HH:mm')} in Beijing time)`,
			first <= now && parameter === 'Start' && !isEmpty(input.end) ? 'End' : parameter,
			'Choose past days or hours. Hourly files are ready about 40 minutes after the hour (60 minutes for 23:00–02:00), daily files 2–4 hours after midnight, Beijing time.',
		);
	}

	const periods: ExportPeriod[] = [];
	for (let start = first; start <= last; start = periodEnd(periods[periods.length - 1])) periods.push(periodStarting(exportType, start));
	return periods;
}

/** The day or hour that starts at `start` (a Beijing-time period start). */
export function periodStarting(exportType: ExportType, start: DateTime): ExportPeriod {
	const beijing = start.setZone(BEIJING_TIME);
	return {
		exportType,
		exportDate: beijing.toFormat(exportType === 'day' ? 'yyyyMMdd' : 'yyyyMMddHH'),
		start: beijing,
		label: label(exportType, beijing),
	};
}

/**
 * When GrowingIO should have produced a period's files at the latest: hourly about
 * 40 minutes after the hour (60 minutes for hours from 23:00 to 02:00), daily 2–4 hours after
 * midnight. Used to tell "not produced yet" from "not enabled" when GrowingIO says NOT_EXISTS.
 */
export function expectedReadyAt(period: ExportPeriod): DateTime {
	const end = periodEnd(period);
	if (period.exportType === 'day') return end.plus({ hours: 4 });
	const hour = period.start.hour;
	return end.plus({ minutes: hour >= 23 || hour < 2 ? 60 : 40 });
}
