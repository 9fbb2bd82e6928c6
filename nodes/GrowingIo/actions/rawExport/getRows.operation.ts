import { Info } from 'luxon';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { CsvFormatError } from '../../helpers/gzipCsv';
import { fileInfo, getExportFiles, partFileName, withPartDownload, type ExportFile } from '../../helpers/rawExport';
import { readNameList, readRawExportParameters } from '../../helpers/rawExportParameters';
import { CellFormatError, readCsvRows } from '../../helpers/rawRows';
import { readLimit } from '../../../../core/helpers/listLimit';
import { DEFAULT_TIMEZONE } from '../../helpers/timeRange';
import { toNodeError } from '../../transport/errors';
import { limitField, returnAllField, timezoneField } from '../common.descriptions';
import { rawExportFields, rawExportOptions } from '../rawExport.descriptions';

const show = { resource: ['rawExport'], operation: ['getRows'] };

export const description: INodeProperties[] = [
	...rawExportFields(show),
	returnAllField('rawExport', 'getRows'),
	limitField('rawExport', 'getRows'),
	rawExportOptions(show, [
		{
			displayName: 'Event Names',
			name: 'eventNames',
			type: 'string',
			default: '',
			placeholder: 'e.g. addToCart, payOrderSuccess',
			description: 'Only custom_event rows whose eventName is one of these (comma-separated); rows of other data types are not filtered',
		},
		{
			displayName: 'Fields to Include',
			name: 'fields',
			type: 'string',
			default: '',
			placeholder: 'e.g. visitUserId, eventName, eventVariable',
			description: 'Comma-separated columns to keep, in this order. Empty keeps every column of the file\'s header row.',
		},
		{
			displayName: 'Include File Info',
			name: 'includeFileInfo',
			type: 'boolean',
			default: false,
			description: 'Whether to add a _file field with the data type, export type, export date and part each row comes from',
		},
		{
			displayName: 'Time Format',
			name: 'timeFormat',
			type: 'options',
			default: 'isoAndMs',
			options: [
				{
					name: 'ISO and Milliseconds',
					value: 'isoAndMs',
					description: 'As in chart output: sendTime as an ISO date-time in Options → Timezone, and sendTime (ms) with the file\'s epoch milliseconds',
				},
				{
					name: 'Milliseconds Only',
					value: 'ms',
					description: 'As in the file: sendTime as epoch milliseconds (UTC). Reads a little faster.',
				},
			],
			description: 'How the time columns (time, sendTime, pageTime) are output',
		},
		{
			...timezoneField('Timezone of the ISO times in the output. Which days and hours are exported is always Beijing time.'),
			displayOptions: { hide: { timeFormat: ['ms'] } },
		},
	]),
];

/** Options → Timezone: an IANA name (Asia/Shanghai when empty), checked, since an expression can give anything. */
function readTimezoneOption(context: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const timezone = value === undefined || value === null ? DEFAULT_TIMEZONE : typeof value === 'string' ? value.trim() || DEFAULT_TIMEZONE : value;
	if (typeof timezone === 'string' && Info.isValidIANAZone(timezone)) return timezone;
	const problem = typeof timezone === 'string' ? `"${timezone}" does not exist` : `must be a timezone name, but the expression gave ${Array.isArray(timezone) ? 'a list' : typeof timezone}`;
	throw new NodeOperationError(context.getNode(), `Options → Timezone ${problem}`, {
		itemIndex,
		description: 'Choose a timezone from the list, or make the expression return an IANA name such as Asia/Shanghai (GrowingIO\'s own), Europe/Berlin or UTC.',
	});
}

/**
 * One item per CSV row, streamed: each part is gunzipped and parsed as it downloads, and reading
 * stops (download included) once Limit rows are there. Memory grows only with the rows output.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { periods, dataTypes, settings, options } = readRawExportParameters.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex) ?? Infinity;
	const fields = readNameList(options.fields);
	const eventNames = new Set(readNameList(options.eventNames));
	if (eventNames.size && dataTypes !== 'all' && !dataTypes.includes('custom_event')) {
		throw new NodeOperationError(this.getNode(), 'Options → Event Names filters custom_event rows, but Data Types does not include custom_event', {
			itemIndex,
			description: 'Add Custom Event (custom_event) to Data Types, or remove the Event Names option.',
		});
	}

	const timeFormat = options.timeFormat ?? 'isoAndMs';
	if (timeFormat !== 'isoAndMs' && timeFormat !== 'ms') {
		throw new NodeOperationError(this.getNode(), `Options → Time Format "${String(timeFormat)}" is not one of isoAndMs, ms`, {
			itemIndex,
			description: 'Choose ISO and Milliseconds or Milliseconds Only, or make the expression return isoAndMs or ms.',
		});
	}
	const timezone = timeFormat === 'isoAndMs' ? readTimezoneOption(this, options.timezone, itemIndex) : undefined;

	const seenColumns = new Set<string>();
	const includeFileInfo = options.includeFileInfo === true;
	const rows: IDataObject[] = [];
	let complete = true;
	const read = async (file: ExportFile): Promise<{ rows: IDataObject[]; complete: boolean }> => {
		try {
			return (await withPartDownload.call(this, file, 'csv', settings, itemIndex, async (body) => {
				// Rows of a failed try are dropped: the part is read again from the start.
				const fileRows: IDataObject[] = [];
				const wanted = limit - rows.length;
				const rowOptions = { fields, eventNames, isoTimezone: timezone, seenColumns, file: includeFileInfo ? fileInfo(file) : undefined };
				const whole = await readCsvRows(body, rowOptions, (row) => fileRows.push(row) < wanted);
				return { rows: fileRows, complete: whole };
			})) as { rows: IDataObject[]; complete: boolean };
		} catch (error) {
			if (error instanceof CellFormatError) {
				throw new NodeOperationError(this.getNode(), `${partFileName(file)}: ${error.message}`, {
					itemIndex,
					description: `Get Rows stops here rather than pass on a wrong ${error.column}. To read the other columns, leave ${error.column} out with Options → Fields to Include. To look at the file, download it with the Download operation; please report it if GrowingIO changed the format.`,
				});
			}
			if (error instanceof CsvFormatError) {
				throw new NodeOperationError(this.getNode(), `${partFileName(file)} is not in GrowingIO's CSV format: ${error.message}`, {
					itemIndex,
					description:
						'GrowingIO documents comma-separated UTF-8 with " quotes, \\ escapes and a header row. Download the file with the Download operation to look at it, and report it if GrowingIO changed the format.',
				});
			}
			throw toNodeError(this.getNode(), error, itemIndex);
		}
	};

	for (const period of periods) {
		if (rows.length >= limit) {
			complete = false;
			break;
		}
		for (const file of await getExportFiles.call(this, period, dataTypes, settings, itemIndex)) {
			if (rows.length >= limit) {
				complete = false;
				break;
			}
			const result = await read(file);
			for (const row of result.rows) rows.push(row);
			complete &&= result.complete;
		}
	}

	const missing = fields.filter((field) => !seenColumns.has(field));
	if (complete && seenColumns.size && missing.length) {
		throw new NodeOperationError(this.getNode(), `Options → Fields to Include: ${missing.map((field) => `"${field}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a column of the exported files`, {
			itemIndex,
			description: `Column names are case-sensitive. The files have: ${[...seenColumns].join(', ')}.`,
		});
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(rows), { itemData: { item: itemIndex } });
}
