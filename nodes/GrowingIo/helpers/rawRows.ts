import type { IDataObject } from 'n8n-workflow';

import { CsvFormatError, csvRowBatches } from './gzipCsv';
import { isoFormatter, millisecondsKey } from './table';
import { DEFAULT_TIMEZONE } from './timeRange';

/**
 * Raw-export CSV rows as item JSON: the header row names the columns (their order differs
 * between data types and may change), cells get types where GrowingIO documents them, and every
 * column has one shape in every row.
 */

/** Map-typed columns (`map<string,string>`), written as JSON or as `{"k"->"v"}`. */
const MAP_COLUMNS = new Set(['appVariable', 'eventVariable', 'pageVariable', 'conversionVariable', 'visitorVariable', 'adsVariable']);
/** UTC epoch-millisecond times: output as ISO in the chosen timezone, with the ms beside them. */
const TIME_COLUMNS = new Set(['time', 'sendTime', 'pageTime', 'eventTime']);
/** Documented numbers (double, bigint, screen sizes). */
const NUMBER_COLUMNS = new Set(['eventNumber', 'index', 'screenHeight', 'screenWidth', 'latitude', 'longitude']);
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const INTEGER_TEXT = /^-?\d{1,16}$/;

/** A cell that does not have its column's documented form; `column` names it. */
export class CellFormatError extends CsvFormatError {
	constructor(
		readonly column: string,
		readonly problem: string,
		line?: number,
	) {
		super(`${line === undefined ? '' : `line ${line}: `}${column} ${problem}`);
		this.name = 'CellFormatError';
	}
}

/** The start of a cell for messages: enough to recognise it, not a whole row of user data. */
function preview(text: string): string {
	return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * GrowingIO's arrow form of a map, `{"city"->"beijing", "k2"->"v2"}`: quoted keys and values
 * (backslash escapes as in JSON), `->` between them, `,` between entries, spaces allowed.
 * Undefined for anything else, so that a value is never half read.
 */
export function parseArrowMap(text: string): IDataObject | undefined {
	let i = 0;
	const spaces = () => {
		while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
	};
	const quoted = (): string | undefined => {
		if (text[i] !== '"') return undefined;
		let value = '';
		for (i++; i < text.length; i++) {
			const char = text[i];
			if (char === '"') {
				i++;
				return value;
			}
			if (char !== '\\') {
				value += char;
				continue;
			}
			const next = text[++i];
			if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
				value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
				i += 4;
			} else if (next !== undefined && next in ESCAPES) {
				value += ESCAPES[next];
			} else {
				return undefined;
			}
		}
		return undefined;
	};
	const map: IDataObject = {};
	spaces();
	if (text[i++] !== '{') return undefined;
	spaces();
	if (text[i] === '}') {
		i++;
	} else {
		for (;;) {
			spaces();
			const key = quoted();
			spaces();
			if (key === undefined || text[i] !== '-' || text[i + 1] !== '>') return undefined;
			i += 2;
			spaces();
			const value = quoted();
			if (value === undefined) return undefined;
			// defineProperty: a key such as "__proto__" stays a key.
			Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
			spaces();
			if (text[i] === ',') {
				i++;
				continue;
			}
			if (text[i++] !== '}') return undefined;
			break;
		}
	}
	spaces();
	return i === text.length ? map : undefined;
}

/** A map cell as an object (empty → null); text in neither of GrowingIO's forms is an error (naming `line` when given). */
export function mapValue(column: string, text: string, line?: number): IDataObject | null {
	if (text === '') return null;
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
	} catch {
		// Not JSON: GrowingIO also writes maps as {"k"->"v"}.
	}
	const map = parseArrowMap(text);
	if (map) return map;
	throw new CellFormatError(column, `is not a map in either of GrowingIO's forms ({"k":"v"} or {"k"->"v"}): ${preview(text)}`, line);
}

/** A time cell's epoch milliseconds (empty → null); anything but a whole number is an error. */
export function timeValue(column: string, text: string, line?: number): number | null {
	if (text === '') return null;
	if (INTEGER_TEXT.test(text)) {
		const ms = Number(text);
		if (Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15) return ms;
	}
	throw new CellFormatError(column, `is not a time in epoch milliseconds: ${preview(text)}`, line);
}

/**
 * One CSV cell (not a time) as an item value: empty → null; numeric columns → numbers (unless
 * too large to be exact, then their text); map columns → objects; everything else text.
 */
export function cellValue(column: string, text: string, line?: number): IDataObject[string] {
	if (text === '') return null;
	if (MAP_COLUMNS.has(column)) return mapValue(column, text, line);
	if (NUMBER_COLUMNS.has(column) && NUMBER_TEXT.test(text)) {
		const number = Number(text);
		if (Number.isFinite(number) && (!Number.isInteger(number) || Number.isSafeInteger(number))) return number;
	}
	return text;
}

export interface RowOptions {
	/** Columns to keep, in this order; empty keeps the header's columns. */
	fields: string[];
	/** Keep only rows whose eventName is one of these (files without an eventName column are not filtered). */
	eventNames: Set<string>;
	/**
	 * Write each time column as ISO in this timezone, with its milliseconds beside it under
	 * `<name> (ms)`, as chart output does. Without it, times stay milliseconds under their own name.
	 */
	isoTimezone?: string;
	/** Added to every row as `_file`. */
	file?: IDataObject;
	/** Collects the header's column names, e.g. to check Fields to Include. */
	seenColumns?: Set<string>;
}

const TEXT = 0;
const ISO = 1;
const MS = 2;

/** What one output key is made of: the column, its index and how its cell is read. */
type OutputKey = [key: string, index: number, kind: number, column: string];

function outputKeys(header: string[], fields: string[], isoTimes: boolean): OutputKey[] {
	const keys: OutputKey[] = [];
	for (const name of fields.length ? fields : header) {
		const index = header.indexOf(name);
		if (index < 0) continue;
		if (!TIME_COLUMNS.has(name)) keys.push([name, index, TEXT, name]);
		else if (isoTimes) keys.push([name, index, ISO, name], [millisecondsKey(name), index, MS, name]);
		else keys.push([name, index, MS, name]);
	}
	return keys;
}

/**
 * Reads one decompressed part row by row and hands each kept row to `emit`, until `emit` says
 * it wants no more (which also ends the download). Returns whether the whole file was read.
 * A cell not in its column's form stops the read with a CellFormatError naming line and column.
 */
export async function readCsvRows(body: AsyncIterable<Uint8Array | string>, options: RowOptions, emit: (row: IDataObject) => boolean): Promise<boolean> {
	const toIso = isoFormatter(options.isoTimezone ?? DEFAULT_TIMEZONE, { rememberAll: false });
	let keys: OutputKey[] | undefined;
	let width = 0;
	let eventColumn = -1;
	let line = 0;
	for await (const batch of csvRowBatches(body)) {
		for (const row of batch) {
			line++;
			if (!keys) {
				for (const name of row) options.seenColumns?.add(name);
				keys = outputKeys(row, options.fields, options.isoTimezone !== undefined);
				width = row.length;
				eventColumn = row.indexOf('eventName');
				continue;
			}
			if (row.length !== width) throw new CsvFormatError(`line ${line} has ${row.length} fields, but the header row names ${width} columns`);
			if (options.eventNames.size && eventColumn >= 0 && !options.eventNames.has(row[eventColumn])) continue;
			const json: IDataObject = {};
			for (const [key, index, kind, column] of keys) {
				const text = row[index];
				if (kind === TEXT) {
					json[key] = cellValue(column, text, line);
				} else {
					const ms = timeValue(column, text, line);
					json[key] = kind === MS || ms === null ? ms : toIso(ms);
				}
			}
			if (options.file) json._file = options.file;
			if (!emit(json)) return false;
		}
	}
	return true;
}
