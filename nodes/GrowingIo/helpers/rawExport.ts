import { DateTime } from 'luxon';
import { NodeOperationError, type IBinaryData, type IDataObject } from 'n8n-workflow';
// The one Node built-in here: n8n stores binary data from a Buffer or a Node Readable only (its
// memory, database and S3 modes read the stream's events), and no helper makes a Readable out of
// the checked or inflated bytes. Readable.from adapts them without buffering the file.
import { Readable } from 'stream';

import { growingIoRequest, type RunContext } from '../transport';
import { IncompleteDownloadError, networkProblem, openStorageDownload, StorageDownloadError, type StorageDownload } from '../transport/download';
import { backoffDelay } from '../../../core/transport/retryPolicy';
import { sleepInContext } from '../../../core/transport/wait';
import { gunzip, gzipCheck } from './gzipCsv';
import { expectedReadyAt, requestDate, type ExportPeriod } from './rawExportPeriods';
import { BEIJING_TIME } from './timeRange';

/**
 * Raw data export v2 (原始数据导出): asking GrowingIO for an export's download links
 * (waiting while it runs), and downloading its gzip CSV parts with GrowingIO's integrity rules.
 * Shared by the Get Download Links, Download and Get Rows operations.
 */

export const RAW_DATA_TYPES = [
	'visit',
	'page',
	'action',
	'action_tag',
	'custom_event',
	'ads_track_activation',
	'ads_track_click',
	'pvar',
	'evar',
	'vstr',
] as const;
export type RawDataType = (typeof RAW_DATA_TYPES)[number];

export function isRawDataType(value: unknown): value is RawDataType {
	return (RAW_DATA_TYPES as readonly unknown[]).includes(value);
}

/** What to request: some data types one by one, or every type with the all-types link. */
export type DataTypeSelection = RawDataType[] | 'all';

export interface LinkSettings {
	/** Lifetime of the download links (GrowingIO's `expire`), minutes. */
	expireMinutes: number;
	waitForCompletion: boolean;
	maxWaitSeconds: number;
	/** Periods whose export does not exist, failed or still runs give no output instead of an error. */
	skipUnavailable: boolean;
}

export interface DownloadSettings extends LinkSettings {
	maxTries: number;
	timeoutMs: number;
}

/** One part file of one export. */
export interface ExportFile {
	dataType: string;
	period: ExportPeriod;
	/** 0 for part-00000. */
	part: number;
	url: string;
	/** When the link stops working, ISO in Beijing time. */
	expiresAt: string;
	/** GrowingIO's `requestTime` (server time of the request, Beijing). */
	requestTime: string | null;
	/** Whether the link came from the all-types request (fresh links are asked the same way). */
	allTypes: boolean;
	/** Every file of the same answer: fresh links for one part renew the others' links too. */
	siblings: ExportFile[];
}

export function partFileName(file: ExportFile, decompressed = false): string {
	return `${file.dataType}_${file.period.exportDate}_part-${String(file.part).padStart(5, '0')}.csv${decompressed ? '' : '.gz'}`;
}

/** Where a file comes from, as output fields. */
export function fileInfo(file: ExportFile): IDataObject {
	return { dataType: file.dataType, exportType: file.period.exportType, exportDate: file.period.exportDate, part: file.part };
}

/** `custom_event day export for 2026-11-17 (Beijing time)`, for messages. */
export function exportName(period: ExportPeriod, dataType: string | undefined): string {
	return `${dataType ?? 'all-types'} ${period.exportType} export for ${period.label} (Beijing time)`;
}

/** The v3 exporter is polled every 1 s; raw exports take minutes, so start at 2 s and back off to 1 min. */
const FIRST_POLL_DELAY_MS = 2000;
const MAX_POLL_DELAY_MS = 60000;

const SKIP_HINT = 'To leave such periods out instead of stopping, turn on Options → Skip Unavailable Periods.';

function unavailableError(
	context: RunContext,
	itemIndex: number | undefined,
	period: ExportPeriod,
	name: string,
	status: string,
	errorMsg: string | undefined,
	detail?: string,
): NodeOperationError {
	const said = errorMsg ? `: ${errorMsg}` : '';
	if (status === 'NOT_EXISTS') {
		const readyBy = expectedReadyAt(period);
		const notYet = DateTime.now().setZone(BEIJING_TIME) < readyBy.plus({ hours: 2 });
		const latency =
			'Hourly files are ready about 40 minutes after the hour (60 minutes for 23:00–02:00), daily files 2–4 hours after midnight, Beijing time; run daily exports after 06:00.';
		return new NodeOperationError(context.getNode(), `GrowingIO has no ${name} (NOT_EXISTS${said})`, {
			itemIndex,
			description: notYet
				? `The files are probably not produced yet: GrowingIO should have them by about ${readyBy.toFormat('yyyy-MM-dd HH:mm')} Beijing time. ${latency} ${SKIP_HINT}`
				: `Raw data export (原始数据导出) may not be enabled for this project (it is a paid feature; ask your GrowingIO admin), or the date is before it was enabled. Only the latest 15 days can be exported. ${latency} ${SKIP_HINT}`,
		});
	}
	if (status === 'ERROR') {
		return new NodeOperationError(context.getNode(), `GrowingIO failed to produce the ${name} (ERROR${said})`, {
			itemIndex,
			description: `GrowingIO asks to try again later, about 5 minutes apart. If it keeps failing, contact GrowingIO support with the data type and date. ${SKIP_HINT}`,
		});
	}
	return new NodeOperationError(context.getNode(), `GrowingIO is still preparing the ${name}${detail ? ` ${detail}` : ''} (RUNNING)`, {
		itemIndex,
		description: `Raise Options → Max Wait (Seconds), turn on Options → Wait for Completion, or run the workflow later. ${SKIP_HINT}`,
	});
}

function unexpectedAnswer(context: RunContext, itemIndex: number | undefined, subject: string, problem: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), `GrowingIO sent an unexpected answer for ${subject}: ${problem}`, {
		itemIndex,
		description: 'Check that the Base URL in the credential points to the GrowingIO API. If it does, GrowingIO may have changed this API: please report it.',
	});
}

function isLinkList(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((link) => typeof link === 'string' && /^https?:\/\//i.test(link));
}

export type ExportStatus = 'FINISHED' | 'RUNNING' | 'NOT_EXISTS' | 'ERROR';

/** GrowingIO's answer about one export: its files once FINISHED, else the status and its message. */
export type ExportAnswer = { status: 'FINISHED'; files: ExportFile[] } | { status: Exclude<ExportStatus, 'FINISHED'>; errorMsg?: string };

/**
 * Asks once for one export's links: one data type, or every type at once (all-types form, whose
 * `downloadLinks` is an object keyed by data type). The trigger asks this way on each poll.
 */
export async function askExport(
	this: RunContext,
	period: ExportPeriod,
	dataType: RawDataType | undefined,
	expireMinutes: number,
	itemIndex?: number,
): Promise<ExportAnswer> {
	const subject = `the ${exportName(period, dataType)}`;
	const path = `/v2/insights/${period.exportType}/${dataType ? `${dataType}/` : ''}{ai}/${requestDate(period)}.json`;
	const askedAt = DateTime.now().setZone(BEIJING_TIME);
	const body = (await growingIoRequest.call(this, { path, qs: { expire: expireMinutes }, subject, itemIndex })) as IDataObject;
	if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.status !== 'string') {
		throw unexpectedAnswer(this, itemIndex, subject, 'expected an object with a status');
	}
	const status = body.status;
	const errorMsg = typeof body.errorMsg === 'string' && body.errorMsg.trim() ? body.errorMsg.trim() : undefined;
	if (status === 'RUNNING' || status === 'NOT_EXISTS' || status === 'ERROR') return { status, errorMsg };
	if (status !== 'FINISHED') throw unexpectedAnswer(this, itemIndex, subject, `unknown status "${status}"`);

	// A finished export without files may come without links.
	const links = body.downloadLinks ?? (dataType ? [] : {});
	const byType: Record<string, unknown> = dataType ? { [dataType]: links } : (links as Record<string, unknown>);
	if (!byType || typeof byType !== 'object' || Array.isArray(byType) || !Object.values(byType).every(isLinkList)) {
		throw unexpectedAnswer(this, itemIndex, subject, dataType ? 'expected downloadLinks to be a list of URLs' : 'expected downloadLinks to be lists of URLs keyed by data type');
	}
	const expiresAt = askedAt.plus({ minutes: expireMinutes }).startOf('second').toISO({ suppressMilliseconds: true }) ?? '';
	const requestTime = typeof body.requestTime === 'string' ? body.requestTime : null;
	const types = [...RAW_DATA_TYPES.filter((type) => type in byType), ...Object.keys(byType).filter((type) => !isRawDataType(type))];
	const siblings: ExportFile[] = [];
	for (const type of types) {
		(byType[type] as string[]).forEach((url, part) => siblings.push({ dataType: type, period, part, url, expiresAt, requestTime, allTypes: !dataType, siblings }));
	}
	return { status: 'FINISHED', files: siblings };
}

/**
 * One export's files. While GrowingIO says RUNNING it asks again (each time through the shared
 * limiter) until Max Wait. Undefined when the export is unavailable and Skip Unavailable
 * Periods is on.
 */
async function requestExport(
	this: RunContext,
	period: ExportPeriod,
	dataType: RawDataType | undefined,
	settings: LinkSettings,
	itemIndex: number,
): Promise<ExportFile[] | undefined> {
	const name = exportName(period, dataType);
	const started = Date.now();
	for (let poll = 1; ; poll++) {
		const answer = await askExport.call(this, period, dataType, settings.expireMinutes, itemIndex);
		if (answer.status === 'FINISHED') return answer.files;
		if (answer.status === 'RUNNING') {
			const waited = Date.now() - started;
			const budget = settings.maxWaitSeconds * 1000;
			if (settings.waitForCompletion && waited < budget) {
				await sleepInContext(this, Math.min(MAX_POLL_DELAY_MS, FIRST_POLL_DELAY_MS * 2 ** (poll - 1), budget - waited));
				continue;
			}
			if (settings.skipUnavailable) return undefined;
			throw unavailableError(this, itemIndex, period, name, answer.status, answer.errorMsg, settings.waitForCompletion ? `after ${Math.round(waited / 1000)} s` : undefined);
		}
		if (settings.skipUnavailable) return undefined;
		throw unavailableError(this, itemIndex, period, name, answer.status, answer.errorMsg);
	}
}

/**
 * Every part file of one period for the chosen data types, in data-type order. Types are asked
 * one after another, so a period's requests follow each other through the limiter.
 */
export async function getExportFiles(
	this: RunContext,
	period: ExportPeriod,
	dataTypes: DataTypeSelection,
	settings: LinkSettings,
	itemIndex: number,
): Promise<ExportFile[]> {
	if (dataTypes === 'all') return (await requestExport.call(this, period, undefined, settings, itemIndex)) ?? [];
	const files: ExportFile[] = [];
	for (const dataType of dataTypes) files.push(...((await requestExport.call(this, period, dataType, settings, itemIndex)) ?? []));
	return files;
}

/**
 * The same part with a new link (the old one expired, or its download broke). The other parts
 * of the export get the new links too, so they do not each run into an expired link.
 */
async function freshLink(this: RunContext, file: ExportFile, settings: LinkSettings, itemIndex: number): Promise<ExportFile> {
	const dataType = file.allTypes ? undefined : (file.dataType as RawDataType);
	const files = (await requestExport.call(this, file.period, dataType, { ...settings, skipUnavailable: false }, itemIndex)) ?? [];
	const same = (a: ExportFile, b: ExportFile) => a.dataType === b.dataType && a.part === b.part;
	for (const sibling of file.siblings) {
		const renewed = files.find((candidate) => same(candidate, sibling));
		if (renewed) Object.assign(sibling, { url: renewed.url, expiresAt: renewed.expiresAt, requestTime: renewed.requestTime });
	}
	const again = files.find((candidate) => same(candidate, file));
	if (!again) {
		throw new NodeOperationError(this.getNode(), `GrowingIO no longer lists ${partFileName(file)} of the ${exportName(file.period, file.dataType)}`, {
			itemIndex,
			description: 'GrowingIO replaced the export while it was being downloaded. Run the workflow again.',
		});
	}
	return again;
}

/** zlib's error codes in words: Node 24's DecompressionStream errors carry the code without a message. */
const GZIP_PROBLEMS: Record<string, string> = {
	Z_BUF_ERROR: 'unexpected end of file',
	Z_DATA_ERROR: 'invalid compressed data',
	ERR_TRAILING_JUNK_AFTER_STREAM_END: 'data after the end of the gzip stream',
};

/** What broke a download, in words. */
function downloadProblem(error: unknown, download: StorageDownload | undefined): string {
	if (error instanceof IncompleteDownloadError) return `the file arrived incomplete (${error.message})`;
	if (error instanceof StorageDownloadError) return error.message;
	const code = (error as { code?: unknown })?.code;
	if (typeof code === 'string' && (code.startsWith('Z_') || code in GZIP_PROBLEMS)) {
		return `the gzip data is broken (${(error as Error).message || (GZIP_PROBLEMS[code] ?? code)})`;
	}
	const progress = download?.contentLength !== undefined ? ` after ${download.received()} of ${download.contentLength} bytes` : '';
	return `the connection broke${progress} (${networkProblem(code)})`;
}

/**
 * The same stream, with its own error (not what a consumer makes of it) handed to `record`.
 * Pulled chunk by chunk, so it adds no buffering.
 */
function watchErrors(source: ReadableStream<Uint8Array>, record: (error: unknown) => void): ReadableStream<Uint8Array> {
	const reader = source.getReader();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const next = await reader.read().then(
					(result) => result,
					(error: unknown) => {
						record(error);
						controller.error(error);
						return undefined;
					},
				);
				if (!next) return;
				if (next.done) controller.close();
				else controller.enqueue(next.value);
			},
			cancel: async (reason) => await reader.cancel(reason),
		},
		{ highWaterMark: 0 },
	);
}

/**
 * Downloads one part and hands its verified stream to `consume`: gzip bytes checked by inflating
 * a copy (`gzip`), or the decompressed CSV (`csv`). The stream errors rather than ends when the
 * download is short of Content-Length, broken, or not valid gzip; then fresh links are fetched
 * and the part is downloaded again, up to Options → Max Tries. `consume` must not keep what it
 * got from a failed try: it runs again from the start. Other errors of `consume` reach the caller.
 */
export async function withPartDownload<T>(
	this: RunContext,
	file: ExportFile,
	mode: 'gzip' | 'csv',
	settings: DownloadSettings,
	itemIndex: number,
	consume: (body: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<T> {
	let current = file;
	for (let attempt = 1; ; attempt++) {
		let download: StorageDownload | undefined;
		// What broke the download: the stream's own error, or the storage's refusal.
		let failure: unknown;
		// Anything else: freshLink's or consume's own error.
		let other: unknown;
		let outcome: { result: T } | undefined;
		try {
			if (attempt > 1) current = await freshLink.call(this, file, settings, itemIndex);
			download = await openStorageDownload.call(this, current.url, { timeoutMs: settings.timeoutMs });
			// An empty object (Content-Length 0) is an empty file: there is no gzip to check or inflate.
			const verified = download.contentLength === 0 ? download.body : download.body.pipeThrough(mode === 'csv' ? gunzip() : gzipCheck());
			outcome = { result: await consume(watchErrors(verified, (error) => (failure ??= error))) };
		} catch (error) {
			if (error instanceof StorageDownloadError) failure ??= error;
			else other = error;
		}
		if (outcome && failure === undefined) return outcome.result;
		if (failure === undefined) throw other;
		download?.close();
		const problem = downloadProblem(failure, download);
		if (attempt >= settings.maxTries) {
			throw new NodeOperationError(
				this.getNode(),
				`Could not download ${partFileName(file)} of the ${exportName(file.period, file.dataType)}${attempt > 1 ? ` in ${attempt} tries` : ''}: ${problem}`,
				{
					itemIndex,
					description:
						'Every try used fresh download links from GrowingIO, and no incomplete file was passed on. Check that this n8n instance can reach the storage host of the links, try again later, or raise Options → Max Tries.',
				},
			);
		}
		await sleepInContext(this, backoffDelay(attempt));
	}
}

/**
 * Downloads one part into n8n's binary data: the .csv.gz as stored, or with `decompress` the .csv,
 * streamed (n8n's filesystem mode writes it chunk by chunk) and only once it passed the checks.
 */
export async function downloadPartBinary(
	this: RunContext,
	file: ExportFile,
	decompress: boolean,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<IBinaryData> {
	const fileName = partFileName(file, decompress);
	return (await withPartDownload.call(this, file, decompress ? 'csv' : 'gzip', settings, itemIndex, async (body) =>
		await this.helpers.prepareBinaryData(Readable.from(body, { objectMode: false }), fileName, decompress ? 'text/csv' : 'application/gzip'),
	)) as IBinaryData;
}
