/**
 * Raw data export v2: `/v2/insights/{hour|day}[/{data_type}]/{ai}/{export_date}.json`.
 * Status follows the clock: NOT_EXISTS outside the 15-day window or before the period is
 * produced, RUNNING for `exportRunningMs` after the first request, then FINISHED with
 * presigned part links (or ERROR for the one configured failing case).
 */
import { isRawDataType, RAW_DATA_TYPES, type RawDataType, type RawPartContent, rawCsvChunks, repeatedCsv } from './rawData';
import { intHash } from './seededRandom';
import { gzipText, IN_MEMORY_ROW_LIMIT, type StorageObject, type StorageSigner } from './storage';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatBeijingMinute, formatExportDate, parseExportDate, startOfBeijingDay } from './time';
import { badRequest, type ApiResult } from './types';

export type ExportType = 'hour' | 'day';

/** Only the latest 15 days can be exported. */
export const RAW_EXPORT_RETENTION_DAYS = 15;
/** Daily files are ready 2 h after the Beijing day ends (GrowingIO says 2–4 h). */
export const DAY_EXPORT_LATENCY_MS = 2 * HOUR_MS;
/** Hourly files are ready 40 min after the hour, 60 min for hours from 23:00 to 02:00. */
export const HOUR_EXPORT_LATENCY_MS = 40 * MINUTE_MS;
export const LATE_NIGHT_HOUR_EXPORT_LATENCY_MS = 60 * MINUTE_MS;
export const MAX_EXPIRE_MINUTES = 7 * 24 * 60;
export const DEFAULT_EXPIRE_MINUTES = 5;

/**
 * Special cases, all relative to the sandbox clock's Beijing "today":
 * - ERROR: `errorDataType` for the day `errorDaysAgo` days ago (its day export, every hour
 *   export inside it, and the all-types export of that day).
 * - Header-only part: every day export of `headerOnlyDataType` ends with a part that has
 *   just the header row.
 * - Large part: with the `largePartRows` option, part-00000 of the `largeDataType` day export
 *   `largeDaysAgo` days ago has that many rows (streamed, never held in memory).
 */
export const RAW_EXPORT_CASES = {
	errorDataType: 'ads_track_activation' as RawDataType,
	errorDaysAgo: 2,
	headerOnlyDataType: 'vstr' as RawDataType,
	largeDataType: 'custom_event' as RawDataType,
	largeDaysAgo: 3,
};

/** largePartRows for a custom_event part of about 512 MiB of CSV (rows average ~301 bytes). */
export const ROWS_FOR_512_MB = 1_785_000;

export interface RawExportSettings {
	ai: string;
	now: () => number;
	exportRunningMs: number;
	largePartRows: number;
	/** Data types whose export the project has not enabled: always NOT_EXISTS. */
	disabledDataTypes: RawDataType[];
	storage: StorageSigner;
	baseUrl: () => string;
}

interface ExportPeriod {
	exportType: ExportType;
	/** Truncated as the response echoes it: yyyyMMdd or yyyyMMddHH. */
	exportDate: string;
	start: number;
	end: number;
}

/** `yyyyMMdd` of the Beijing day `daysAgo` days before the clock's today; handy in tests. */
export function exportDateDaysAgo(now: number, daysAgo: number): string {
	return formatExportDate(startOfBeijingDay(now) - daysAgo * DAY_MS).slice(0, 8);
}

function parsePeriod(exportType: ExportType, text: string): ExportPeriod | string {
	const length = exportType === 'day' ? 8 : 10;
	if (!/^\d+$/.test(text) || ![8, 10, 12].includes(text.length) || text.length < length) {
		return `export_date must be yyyyMMddHHmm in Beijing time (yyyyMMdd${exportType === 'hour' ? 'HH at least' : ' is enough'} for ${exportType} exports), got ${text}`;
	}
	const exportDate = text.slice(0, length);
	const start = parseExportDate(exportDate);
	if (start === undefined || parseExportDate(text) === undefined) return `export_date ${text} is not a valid date`;
	return { exportType, exportDate, start, end: start + (exportType === 'day' ? DAY_MS : HOUR_MS) };
}

function readyAt(period: ExportPeriod): number {
	if (period.exportType === 'day') return period.end + DAY_EXPORT_LATENCY_MS;
	const hour = Number(period.exportDate.slice(8, 10));
	return period.end + (hour >= 23 || hour < 2 ? LATE_NIGHT_HOUR_EXPORT_LATENCY_MS : HOUR_EXPORT_LATENCY_MS);
}

/** Why there is no export for this period yet (or any more), or undefined if there is. */
function notExistsReason(period: ExportPeriod, now: number): string | undefined {
	if (period.start > now) return `export_date ${period.exportDate} is in the future`;
	if (period.start < startOfBeijingDay(now) - RAW_EXPORT_RETENTION_DAYS * DAY_MS) {
		return `export_date ${period.exportDate} is older than ${RAW_EXPORT_RETENTION_DAYS} days; raw data is kept for the latest ${RAW_EXPORT_RETENTION_DAYS} days only`;
	}
	if (now < readyAt(period)) {
		return `the ${period.exportType} export for ${period.exportDate} has not been produced yet; it is ready about ${formatBeijingMinute(readyAt(period))} (Beijing time)`;
	}
	return undefined;
}

function daysAgo(period: ExportPeriod, now: number): number {
	return Math.round((startOfBeijingDay(now) - startOfBeijingDay(period.start)) / DAY_MS);
}

function isErrorCase(period: ExportPeriod, dataType: RawDataType | undefined, now: number): boolean {
	return (dataType === undefined || dataType === RAW_EXPORT_CASES.errorDataType) && daysAgo(period, now) === RAW_EXPORT_CASES.errorDaysAgo;
}

/** Part contents of one export: day exports have 2–3 parts, hour exports one. */
function partPlan(settings: RawExportSettings, period: ExportPeriod, dataType: RawDataType): RawPartContent[] {
	const seedBase = `${settings.ai}|${period.exportType}|${dataType}|${period.exportDate}`;
	const parts = period.exportType === 'hour' ? 1 : ['page', 'action', 'custom_event'].includes(dataType) ? 3 : 2;
	const slice = (period.end - period.start) / parts;
	return Array.from({ length: parts }, (_, index) => {
		let rows = period.exportType === 'hour' ? intHash(5, 30, seedBase, index) : intHash(40, 120, seedBase, index);
		if (period.exportType === 'day' && dataType === RAW_EXPORT_CASES.headerOnlyDataType && index === parts - 1) rows = 0;
		if (
			settings.largePartRows > 0 &&
			period.exportType === 'day' &&
			dataType === RAW_EXPORT_CASES.largeDataType &&
			index === 0 &&
			daysAgo(period, settings.now()) === RAW_EXPORT_CASES.largeDaysAgo
		) {
			rows = settings.largePartRows;
		}
		const fromTime = Math.round(period.start + index * slice);
		return { dataType, seed: `${seedBase}|${index}|${rows}`, rows, fromTime, toTime: Math.round(period.start + (index + 1) * slice) };
	});
}

function partFileName(index: number): string {
	return `part-${String(index).padStart(5, '0')}.gz`;
}

/** Storage folder of one export; like GrowingIO's S3 keys it names ai, type and date (never parse it). */
function objectKey(settings: RawExportSettings, period: ExportPeriod, dataType: RawDataType): string {
	const tag = intHash(0, 0xffffffff, settings.ai, period.exportType, dataType, period.exportDate).toString(16).padStart(8, '0');
	return `${tag}_${settings.ai}_${period.exportType}_${dataType}_${period.exportDate.padEnd(12, '0')}`;
}

function partLinks(settings: RawExportSettings, period: ExportPeriod, dataType: RawDataType, expiresAt: number): string[] {
	const key = objectKey(settings, period, dataType);
	return partPlan(settings, period, dataType).map(
		(_, index) => `${settings.baseUrl()}${settings.storage.presign(`/storage/${key}/${partFileName(index)}`, expiresAt)}`,
	);
}

export class RawExports {
	/** First request time (sandbox clock) per export, which starts its RUNNING phase. */
	private readonly firstRequested = new Map<string, number>();

	constructor(private readonly settings: RawExportSettings) {}

	/** Answers one-type (`dataType` given) and all-types exports. */
	handle(exportTypeText: string, dataTypeText: string | undefined, dateText: string, query: URLSearchParams): ApiResult {
		if (exportTypeText !== 'hour' && exportTypeText !== 'day') return badRequest(`export_type must be hour or day, got ${exportTypeText}`);
		const exportType: ExportType = exportTypeText;
		if (dataTypeText !== undefined && !isRawDataType(dataTypeText)) {
			return badRequest(`data_type must be one of ${RAW_DATA_TYPES.join(', ')}, got ${dataTypeText}`);
		}
		const dataType = dataTypeText;
		const period = parsePeriod(exportType, dateText);
		if (typeof period === 'string') return badRequest(period);
		const expireText = query.get('expire');
		const expire = expireText === null ? DEFAULT_EXPIRE_MINUTES : /^\d+$/.test(expireText) ? Number(expireText) : NaN;
		if (!(expire >= 1 && expire <= MAX_EXPIRE_MINUTES)) {
			return badRequest(`expire must be a whole number of minutes from 1 to ${MAX_EXPIRE_MINUTES} (7 days), got ${expireText}`);
		}

		const now = this.settings.now();
		const answer = (status: string, downloadLinks: unknown, errorMsg: string | null): ApiResult => ({
			status: 200,
			json: {
				status,
				downloadLinks,
				exportType,
				...(dataType ? { dataType } : {}),
				exportDate: period.exportDate,
				exportVersion: 'v2',
				requestTime: formatBeijingMinute(now),
				errorMsg,
			},
		});
		const noLinks = dataType ? [] : {};

		const reason = dataType && this.settings.disabledDataTypes.includes(dataType)
			? `raw data export of ${dataType} is not enabled for this project`
			: notExistsReason(period, now);
		if (reason) return answer('NOT_EXISTS', noLinks, reason);

		const key = `${exportType}/${dataType ?? '*'}/${period.exportDate}`;
		const first = this.firstRequested.get(key) ?? now;
		this.firstRequested.set(key, first);
		if (now < first + this.settings.exportRunningMs) return answer('RUNNING', noLinks, null);

		if (isErrorCase(period, dataType, now)) {
			return answer('ERROR', noLinks, `export of ${RAW_EXPORT_CASES.errorDataType} for ${period.exportDate} failed: task aborted, please retry later`);
		}
		const expiresAt = now + expire * MINUTE_MS;
		if (dataType) return answer('FINISHED', partLinks(this.settings, period, dataType, expiresAt), null);
		const links: Record<string, string[]> = {};
		for (const type of RAW_DATA_TYPES) links[type] = partLinks(this.settings, period, type, expiresAt);
		return answer('FINISHED', links, null);
	}

	/** The gzip CSV behind `/storage/<objectKey>/part-NNNNN.gz`, or undefined if there is none. */
	resolvePart(key: string, fileName: string): StorageObject | undefined {
		const match = /^[0-9a-f]{8}_(.+)_(hour|day)_([a-z_]+)_(\d{12})$/.exec(key);
		const file = /^part-(\d{5})\.gz$/.exec(fileName);
		if (!match || !file || match[1] !== this.settings.ai || !isRawDataType(match[3])) return undefined;
		const exportType = match[2] as ExportType;
		const period = parsePeriod(exportType, match[4].slice(0, exportType === 'day' ? 8 : 10));
		if (typeof period === 'string') return undefined;
		const content = partPlan(this.settings, period, match[3])[Number(file[1])];
		if (!content) return undefined;
		const contentType = 'application/gzip';
		if (content.rows <= IN_MEMORY_ROW_LIMIT) return { contentType, body: gzipText([...rawCsvChunks(content)].join('')) };
		const csv = repeatedCsv(content);
		return { contentType, rawLength: csv.byteLength, rawChunks: () => csv.chunks() };
	}
}
