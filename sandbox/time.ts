/**
 * Beijing-time helpers. GrowingIO cuts days, hours and export dates in Asia/Shanghai, which
 * has had no daylight saving since 1991, so a fixed +08:00 offset is exact.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** GrowingIO's "month" interval is a flat 30 days. */
export const MONTH_MS = 30 * DAY_MS;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

export function startOfBeijingDay(ms: number): number {
	return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

export function startOfHour(ms: number): number {
	return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

interface BeijingParts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
}

function beijingParts(ms: number): BeijingParts {
	const shifted = new Date(ms + BEIJING_OFFSET_MS);
	return {
		year: shifted.getUTCFullYear(),
		month: shifted.getUTCMonth() + 1,
		day: shifted.getUTCDate(),
		hour: shifted.getUTCHours(),
		minute: shifted.getUTCMinutes(),
	};
}

/** `YYYY-MM-DD` in Beijing time. */
export function formatBeijingDate(ms: number): string {
	const p = beijingParts(ms);
	return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYYY-MM-DD HH:mm` in Beijing time, the raw export's `requestTime`. */
export function formatBeijingMinute(ms: number): string {
	const p = beijingParts(ms);
	return `${formatBeijingDate(ms)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `yyyyMMddHHmm` in Beijing time, the raw export's `export_date`. */
export function formatExportDate(ms: number): string {
	const p = beijingParts(ms);
	return `${p.year}${pad(p.month)}${pad(p.day)}${pad(p.hour)}${pad(p.minute)}`;
}

/**
 * Reads `yyyyMMdd`, `yyyyMMddHH` or `yyyyMMddHHmm` as Beijing time; undefined when it is not a
 * real calendar moment (20240230 is refused rather than rolled over into March).
 */
export function parseExportDate(text: string): number | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?$/.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
	if (hour > 23 || minute > 59) return undefined;
	const utc = Date.UTC(year, month - 1, day, hour, minute);
	const check = new Date(utc);
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
	return utc - BEIJING_OFFSET_MS;
}
