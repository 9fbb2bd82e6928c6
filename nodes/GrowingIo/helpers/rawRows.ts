import type { IDataObject } from 'n8n-workflow';
import type { Readable } from 'stream';

import { CsvFormatError, csvRowBatches } from './gzipCsv';

/**
 * Raw-export CSV rows as item JSON (notes §4.4): the header row names the columns (their order
 * differs between data types and may change), cells get types where GrowingIO documents them.
 */

/** Map-typed columns (`map<string,string>`); their text form is undocumented, JSON in practice. */
const MAP_COLUMNS = new Set(['appVariable', 'eventVariable', 'pageVariable', 'conversionVariable', 'visitorVariable', 'adsVariable']);
/** Epoch-millisecond times and documented numbers (double, bigint, screen sizes). */
const NUMBER_COLUMNS = new Set(['time', 'sendTime', 'pageTime', 'eventTime', 'eventNumber', 'index', 'screenHeight', 'screenWidth', 'latitude', 'longitude']);
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * One CSV cell as an item value: empty → null; numeric columns → numbers (unless too large to be
 * exact); map columns → objects when they are JSON objects, otherwise their text
 * (e.g. `{"city"->"beijing"}`); everything else text.
 */
export function cellValue(column: string, text: string): IDataObject[string] {
	if (text === '') return null;
	if (NUMBER_COLUMNS.has(column) && NUMBER_TEXT.test(text)) {
		const number = Number(text);
		if (Number.isFinite(number) && (!Number.isInteger(number) || Number.isSafeInteger(number))) return number;
		return text;
	}
	if (MAP_COLUMNS.has(column) && text.charCodeAt(0) === 0x7b) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
		} catch {
			// Not JSON: keep the text.
		}
	}
	return text;
}

export interface RowOptions {
	/** Columns to keep, in this order; empty keeps the header's columns. */
	fields: string[];
	/** Keep only rows whose eventName is one of these (files without an eventName column are not filtered). */
	eventNames: Set<string>;
	/** Added to every row as `_file`. */
	file?: IDataObject;
	/** Collects the header's column names, e.g. to check Fields to Include. */
	seenColumns?: Set<string>;
}

/**
 * Reads one decompressed part row by row and hands each kept row to `emit`, until `emit` says
 * it wants no more (which also ends the download). Returns whether the whole file was read.
 */
export async function readCsvRows(body: Readable, options: RowOptions, emit: (row: IDataObject) => boolean): Promise<boolean> {
	let columns: Array<[string, number]> | undefined;
	let width = 0;
	let eventColumn = -1;
	let line = 0;
	for await (const batch of csvRowBatches(body)) {
		for (const row of batch) {
			line++;
			if (!columns) {
				for (const name of row) options.seenColumns?.add(name);
				const names = options.fields.length ? options.fields : row;
				columns = names.map((name): [string, number] => [name, row.indexOf(name)]).filter(([, index]) => index >= 0);
				width = row.length;
				eventColumn = row.indexOf('eventName');
				continue;
			}
			if (row.length !== width) throw new CsvFormatError(`line ${line} has ${row.length} fields, but the header row names ${width} columns`);
			if (options.eventNames.size && eventColumn >= 0 && !options.eventNames.has(row[eventColumn])) continue;
			const json: IDataObject = {};
			for (const [name, index] of columns) json[name] = cellValue(name, row[index]);
			if (options.file) json._file = options.file;
			if (!emit(json)) return false;
		}
	}
	return true;
}
