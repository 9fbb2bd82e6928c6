import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import { optionsCollection, workersSharingProjectOption } from '../../GrowingIo/actions/common.descriptions';
import { linkLifetimeOption, rawExportSourceFields } from '../../GrowingIo/actions/rawExport.descriptions';
import { askExport, downloadPartBinary, exportName, fileInfo, partFileName, type DownloadSettings, type ExportFile, type RawDataType } from '../../GrowingIo/helpers/rawExport';
import { readNumberOption } from '../../../core/helpers/numberParameters';
import { checkDataTypes, LINK_LIFETIME_OPTION } from '../../GrowingIo/helpers/rawExportParameters';
import {
	expectedReadyAt,
	parseBeijingMoment,
	periodEnd,
	periodStarting,
	RAW_EXPORT_RETENTION_DAYS,
	readExportType,
	type ExportPeriod,
	type ExportType,
} from '../../GrowingIo/helpers/rawExportPeriods';
import { BEIJING_TIME } from '../../GrowingIo/helpers/timeRange';
import { DEFAULT_REQUEST_SETTINGS, getProjectSettings } from '../../GrowingIo/transport';
import { toNodeError } from '../../GrowingIo/transport/errors';
import { stateFor, type TriggerEvent } from '../../../core/trigger/pollEvents';
import { parameterError, withParameterErrors } from './event';

/**
 * Raw Export Ready: one item per newly FINISHED raw export, exactly once. The state
 * holds, per export type and data type, the start of the next period to deliver; each poll asks
 * GrowingIO about the oldest undelivered periods first (catching up after downtime) and stops
 * at Max Checks per Poll, so a poll never floods the shared 2 requests/second.
 */

const show = { event: ['rawExportReady'] };

export const description: INodeProperties[] = [
	...rawExportSourceFields(show),
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		default: 'now',
		displayOptions: { show },
		options: [
			{
				name: 'New Periods Only',
				value: 'now',
				description: 'Exports GrowingIO makes ready from activation on: the day or hour in progress, and the one just ended while its export is not due yet',
			},
			{ name: 'All Available (Last 15 Days)', value: 'retention', description: 'Every export GrowingIO still keeps, oldest first, then new ones' },
			{ name: 'Custom Date', value: 'custom', description: 'Exports from a given day or hour on (Beijing time)' },
		],
		description: 'Which exports the trigger delivers the first time it runs. Later it continues where it left off, catching up on any it missed.',
	},
	{
		displayName: 'First Period',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { ...show, startFrom: ['custom'] } },
		description: 'The first day or hour to deliver, Beijing time, within the latest 15 days: e.g. 2026-11-17 or 2026-11-17T09:00',
	},
	{
		displayName: 'Download Files',
		name: 'download',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether to download each part file into the binary field "data" (one item per file) instead of emitting one item per export with its download links',
	},
	optionsCollection(
		show,
		[
			{
				displayName: 'Decompress',
				name: 'decompress',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/download': [true] } },
				description: 'Whether to gunzip each downloaded file and output it as .csv instead of GrowingIO\'s .csv.gz',
			},
			{
				displayName: 'Give Up After (Hours)',
				name: 'giveUpHours',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 336 },
				default: 24,
				description:
					'How long past its usual ready time (about 40 min after an hour, 4 h after a day, Beijing time) an export that GrowingIO says does not exist is still waited for. After that the trigger emits one NOT_EXISTS item for it and moves on.',
			},
			linkLifetimeOption,
			workersSharingProjectOption,
			{
				displayName: 'Max Checks per Poll',
				name: 'maxChecks',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
				description:
					'Most export statuses asked for in one poll (one request each, at GrowingIO\'s 2 per second). Catching up on many missed periods is spread over several polls. Hourly exports of N data types need N checks an hour just to keep up: poll often enough, or raise this.',
			},
		],
		{ requestSettings: false },
	),
];

interface Settings {
	exportType: ExportType;
	/** Data types asked one by one, or `all` for GrowingIO's all-types export. */
	lanes: Array<RawDataType | 'all'>;
	startFrom: string;
	startDate: unknown;
	download: boolean;
	decompress: boolean;
	giveUpHours: number;
	maxChecks: number;
	expireMinutes: number;
}

function readSettings(context: IPollFunctions): Settings {
	const dataTypes = checkDataTypes(context.getNode(), context.getNodeParameter('allDataTypes', false), context.getNodeParameter('dataTypes', []));
	const exportType = withParameterErrors(context, () => readExportType(context.getNodeParameter('exportType', 'day')));
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const option = (name: string, label: string, fallback: number, min: number, max: number) => readNumberOption(context.getNode(), options, { name, label, fallback, min, max });
	const startFrom = String(context.getNodeParameter('startFrom', 'now'));
	return {
		exportType,
		lanes: dataTypes === 'all' ? ['all'] : dataTypes,
		startFrom,
		startDate: startFrom === 'custom' ? context.getNodeParameter('startDate', '') : undefined,
		download: context.getNodeParameter('download', false) === true,
		decompress: options.decompress === true,
		giveUpHours: option('giveUpHours', 'Give Up After (Hours)', 24, 0, 336),
		maxChecks: Math.round(option('maxChecks', 'Max Checks per Poll', 10, 1, 100)),
		expireMinutes: Math.round(readNumberOption(context.getNode(), options, LINK_LIFETIME_OPTION)),
	};
}

const periodUnit = (exportType: ExportType) => (exportType === 'day' ? 'day' : 'hour');
const onePeriod = (exportType: ExportType) => (exportType === 'day' ? { days: 1 } : { hours: 1 });

/** Where a data type's cursor starts the first time: see Start From. */
function firstPeriodStart(context: IPollFunctions, settings: Settings, now: DateTime, earliest: DateTime): DateTime {
	const unit = periodUnit(settings.exportType);
	if (settings.startFrom === 'retention') return earliest;
	if (settings.startFrom === 'custom') {
		const start = withParameterErrors(context, () => parseBeijingMoment(settings.startDate, 'First Period')).time.startOf(unit);
		if (start < earliest || start > now) {
			throw parameterError(
				context,
				`First Period ${start.toFormat('yyyy-MM-dd HH:mm')} is outside the latest ${RAW_EXPORT_RETENTION_DAYS} days GrowingIO keeps (${earliest.toFormat('yyyy-MM-dd')} to now, Beijing time)`,
				`Choose a First Period from ${earliest.toFormat('yyyy-MM-dd')} on, or Start From → All Available.`,
			);
		}
		return start;
	}
	if (settings.startFrom !== 'now') {
		throw parameterError(context, `Start From "${settings.startFrom}" is not one of now, retention, custom`, 'Choose New Periods Only, All Available or Custom Date.');
	}
	return newPeriodsStart(settings.exportType, now);
}

/**
 * New Periods Only: the oldest period whose export is not due yet at `now` (GrowingIO's usual
 * ready time, expectedReadyAt). n8n saves the trigger's state only after a poll that emitted, so
 * a restart before the first delivery computes this again; from GrowingIO's fixed schedule it
 * gives the same period until that export is due, and no export made ready after activation is
 * skipped unless n8n restarts after its due time without having delivered it.
 */
export function newPeriodsStart(exportType: ExportType, now: DateTime): DateTime {
	let start = now.startOf(periodUnit(exportType));
	for (;;) {
		const previous = periodStarting(exportType, start.minus(onePeriod(exportType)));
		if (expectedReadyAt(previous) <= now) return start;
		start = previous.start;
	}
}

/** Output times: ISO 8601 with offset (Beijing time, GrowingIO's), or a plain date for a day. */
const isoTime = (time: DateTime) => time.setZone(BEIJING_TIME).toISO({ suppressMilliseconds: true });

/** GrowingIO's `requestTime` (`2026-11-23 06:01`, Beijing time) as ISO 8601 with offset; anything else as sent. */
function requestTimeIso(requestTime: string | null | undefined): string | null {
	if (!requestTime) return null;
	const time = DateTime.fromFormat(requestTime, 'yyyy-MM-dd HH:mm', { zone: BEIJING_TIME });
	return time.isValid ? isoTime(time) : requestTime;
}

const baseItem = (period: ExportPeriod, dataType: string) => ({
	event: 'rawExportReady',
	dataType,
	exportType: period.exportType,
	// GrowingIO's own code of the period (yyyyMMdd or yyyyMMddHH), as Raw Export → Start takes it.
	exportDate: period.exportDate,
	period: period.exportType === 'day' ? period.start.toISODate() : isoTime(period.start),
});

/** An export GrowingIO will not deliver (ERROR, NOT_EXISTS after the wait): reported once, as an item. */
function problemItem(period: ExportPeriod, dataType: string, status: string, message: string, extra: IDataObject = {}): INodeExecutionData {
	return { json: { ...baseItem(period, dataType), status, message, ...extra } };
}

/** A finished export: one item with its links, or one item per downloaded part. */
async function deliver(this: IPollFunctions, period: ExportPeriod, dataType: string, files: ExportFile[], settings: Settings): Promise<INodeExecutionData[]> {
	const base = { ...baseItem(period, dataType), status: 'FINISHED', fileCount: files.length };
	if (!settings.download || files.length === 0) {
		const links = files.map((file) => ({ ...fileInfo(file), fileName: partFileName(file), url: file.url, expiresAt: file.expiresAt }));
		return [{ json: { ...base, requestTime: requestTimeIso(files[0]?.requestTime), files: links } }];
	}
	const download: DownloadSettings = {
		expireMinutes: settings.expireMinutes,
		waitForCompletion: false,
		maxWaitSeconds: 1,
		skipUnavailable: false,
		maxTries: DEFAULT_REQUEST_SETTINGS.maxTries,
		timeoutMs: DEFAULT_REQUEST_SETTINGS.timeoutMs,
	};
	const items: INodeExecutionData[] = [];
	for (const file of files) {
		const fileName = partFileName(file, settings.decompress);
		const binary = await downloadPartBinary.call(this, file, settings.decompress, download, 0);
		items.push({ json: { ...base, ...fileInfo(file), dataType: file.dataType, fileName }, binary: { data: binary } });
	}
	return items;
}

interface Lane {
	dataType: RawDataType | 'all';
	key: string;
	next: DateTime;
	/** False once GrowingIO said "not yet" for this lane in this poll. */
	open: boolean;
}

export async function poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const settings = readSettings(this);
	const now = DateTime.now().setZone(BEIJING_TIME);
	const earliest = now.startOf('day').minus({ days: RAW_EXPORT_RETENTION_DAYS });
	if (manual) return await sample.call(this, settings, now, earliest);

	// Cursors belong to one GrowingIO project: another credential starts afresh.
	const { baseUrl, projectUid } = await getProjectSettings.call(this);
	const cursors = ((stateFor(state, `${baseUrl}|${projectUid}`).cursors as IDataObject | undefined) ??= {});
	const items: INodeExecutionData[] = [];
	const lanes: Lane[] = settings.lanes.map((dataType) => {
		const key = `${settings.exportType}:${dataType}`;
		const stored = typeof cursors[key] === 'string' ? DateTime.fromISO(cursors[key] as string, { zone: BEIJING_TIME }) : undefined;
		let next = stored?.isValid ? stored : firstPeriodStart(this, settings, now, earliest);
		if (next < earliest) {
			// Down for longer than GrowingIO keeps data: say once which periods can no longer be had.
			const first = periodStarting(settings.exportType, next);
			const last = periodStarting(settings.exportType, earliest.minus(onePeriod(settings.exportType)));
			const message = `GrowingIO no longer keeps the ${settings.exportType} exports from ${first.label} to ${last.label} (Beijing time): raw data is kept for the latest ${RAW_EXPORT_RETENTION_DAYS} days only, and the trigger was not polling while they were available`;
			items.push(problemItem(first, dataType, 'EXPIRED', message, { lastExportDate: last.exportDate }));
			next = earliest;
		}
		cursors[key] = next.toISO();
		return { dataType, key, next, open: true };
	});
	// A data type or export type taken out forgets its place: put back later, it starts afresh.
	for (const key of Object.keys(cursors)) if (!lanes.some((lane) => lane.key === key)) delete cursors[key];

	try {
		for (let checks = 0; checks < settings.maxChecks; checks++) {
			// Oldest undelivered period first, across data types; only periods that have ended.
			const lane = lanes.filter((l) => l.open && periodEnd(periodStarting(settings.exportType, l.next)) <= now).sort((a, b) => a.next.toMillis() - b.next.toMillis())[0];
			if (!lane) break;
			const period = periodStarting(settings.exportType, lane.next);
			const dataType = lane.dataType === 'all' ? undefined : lane.dataType;
			const answer = await askExport.call(this, period, dataType, settings.expireMinutes);
			if (answer.status === 'FINISHED') {
				items.push(...(await deliver.call(this, period, lane.dataType, answer.files, settings)));
			} else if (answer.status === 'ERROR') {
				items.push(problemItem(period, lane.dataType, 'ERROR', `GrowingIO failed to produce the ${exportName(period, dataType)}${answer.errorMsg ? `: ${answer.errorMsg}` : ''}. Get it later with the GrowingIO node (Raw Export → Get Download Links) if GrowingIO produces it again.`));
			} else if (answer.status === 'NOT_EXISTS' && now >= expectedReadyAt(period).plus({ hours: settings.giveUpHours })) {
				items.push(problemItem(period, lane.dataType, 'NOT_EXISTS', `GrowingIO has no ${exportName(period, dataType)}${answer.errorMsg ? ` (${answer.errorMsg})` : ''}, ${settings.giveUpHours} h after it is usually ready. Raw data export may not be enabled for this data type.`));
			} else {
				// RUNNING, or NOT_EXISTS while still within GrowingIO's usual latency: not yet.
				lane.open = false;
				continue;
			}
			lane.next = periodEnd(period);
			cursors[lane.key] = lane.next.toISO();
		}
	} catch (error) {
		// Deliver what is done; the failed period stays next and is asked again on the next poll,
		// where the error is reported if it comes first.
		if (items.length === 0) throw toNodeError(this.getNode(), error);
		this.logger.warn(`GrowingIO Trigger: stopped this poll early, will retry: ${(error as Error).message}`);
	}
	return items;
}

/** Fetch Test Event: the newest finished export of the first data type, leaving the cursors alone. */
async function sample(this: IPollFunctions, settings: Settings, now: DateTime, earliest: DateTime): Promise<INodeExecutionData[]> {
	const lane = settings.lanes[0];
	const dataType = lane === 'all' ? undefined : lane;
	let period = periodStarting(settings.exportType, now.startOf(periodUnit(settings.exportType)));
	for (let checks = 0; checks < settings.maxChecks && period.start >= earliest; ) {
		if (periodEnd(period) <= now) {
			checks++;
			const answer = await askExport.call(this, period, dataType, settings.expireMinutes);
			if (answer.status === 'FINISHED') return await deliver.call(this, period, lane, answer.files, settings);
		}
		period = periodStarting(settings.exportType, period.start.minus(onePeriod(settings.exportType)));
	}
	throw new NodeOperationError(this.getNode(), `GrowingIO has no finished ${settings.exportType} export of ${lane} among the latest ${settings.maxChecks} periods`, {
		description:
			'Raw data export (原始数据导出) may not be enabled for this project or data type, or the files are not produced yet (hourly about 40 minutes after the hour, daily 2–4 hours after midnight, Beijing time). Raise Options → Max Checks per Poll to look further back.',
	});
}

export const rawExportReady: TriggerEvent = { description, poll };
