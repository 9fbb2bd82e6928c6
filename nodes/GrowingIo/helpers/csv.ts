import { NodeOperationError, type IExecuteFunctions, type ILoadOptionsFunctions } from 'n8n-workflow';
import { parse, type Parser } from '../vendor/papaparse';

import { growingIoRequest } from '../transport';
import { CsvFormatError } from './gzipCsv';
import { columnKeys } from './table';

/**
 * Small delimited-text answers of the statistics API: users.csv (TAB-separated,
 * Chinese header row) and rules.csv (comma-separated). The whole text is in memory already, so
 * it is parsed at once; raw-export files, which are large and gzipped, stream through gzipCsv.ts.
 */

export { CsvFormatError };

export interface DelimitedOptions {
	/** The field separator, or candidates: the first that occurs in the header row is used. */
	delimiter: string | string[];
	/** Stop after this many data rows (the header row does not count). */
	limit?: number;
}

/** 1-based line numbers of positions in `text`, for positions that only grow. */
function lineCounter(text: string): (position: number) => number {
	let line = 1;
	let scanned = 0;
	return (position) => {
		for (; scanned < position; scanned++) if (text.charCodeAt(scanned) === 10) line++;
		return line;
	};
}

function chooseDelimiter(text: string, delimiter: string | string[]): string {
	if (typeof delimiter === 'string') return delimiter;
	const header = /[^\r\n]+/.exec(text)?.[0] ?? '';
	return delimiter.find((candidate) => header.includes(candidate)) ?? delimiter[0];
}

/** A trailing delimiter adds an empty last field; it is no column. */
function withoutTrailingEmpties(fields: string[], keep: number): string[] {
	let end = fields.length;
	while (end > keep && fields[end - 1] === '') end--;
	return end === fields.length ? fields : fields.slice(0, end);
}

/**
 * Rows as objects keyed by the header row, every value the text as it is in the file (IDs such as
 * `00012` must not become numbers). A UTF-8 BOM and empty lines are skipped; a row with a
 * different number of fields than the header, or a broken quote, is a CsvFormatError naming
 * its line. Repeated or empty header names get unique keys (`name (2)`, `column`).
 */
export function parseDelimited(text: string, options: DelimitedOptions): Array<Record<string, string>> {
	const { rows, failure } = readDelimited(text, options);
	if (failure) throw failure;
	return rows;
}

/** parseDelimited's rows, or the CsvFormatError that stopped it. */
function readDelimited(text: string, options: DelimitedOptions): { rows: Array<Record<string, string>>; failure?: CsvFormatError } {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const delimiter = chooseDelimiter(input, options.delimiter);
	const limit = options.limit ?? Infinity;
	const lineAt = lineCounter(input);
	const rows: Array<Record<string, string>> = [];
	let keys: string[] | undefined;
	let rowStart = 0;
	let failure: CsvFormatError | undefined;

	const stop = (parser: Parser, error?: CsvFormatError) => {
		failure ??= error;
		parser.abort();
	};
	// Papa.parse runs synchronously on a string; `step` sees one row at a time with its end offset.
	parse<string[]>(input, {
		delimiter,
		quoteChar: '"',
		step: (result, parser) => {
			const line = lineAt(rowStart);
			rowStart = result.meta.cursor;
			if (failure) return;
			if (result.errors.length) {
				return stop(parser, new CsvFormatError(`line ${line}: ${result.errors[0].message.toLowerCase()}`));
			}
			const fields = result.data;
			if (fields.length === 1 && fields[0] === '') return;
			if (!keys) {
				keys = columnKeys(withoutTrailingEmpties(fields, 1).map((name) => ({ name })));
				if (limit <= 0) stop(parser);
				return;
			}
			const cells = withoutTrailingEmpties(fields, keys.length);
			if (cells.length !== keys.length) {
				return stop(parser, new CsvFormatError(`line ${line} has ${cells.length} field${cells.length === 1 ? '' : 's'}, but the header row names ${keys.length} columns`));
			}
			const row: Record<string, string> = {};
			keys.forEach((key, index) => (row[key] = cells[index]));
			rows.push(row);
			if (rows.length >= limit) stop(parser);
		},
	});
	return { rows, failure };
}

export interface DelimitedRequest extends DelimitedOptions {
	/** Path on the GrowingIO host, as for growingIoRequest. */
	path: string;
	/** What is being fetched, for error messages, e.g. `the rule list`. */
	subject: string;
	itemIndex?: number;
}

/** GETs a CSV endpoint through the transport and parses it; a bad file becomes a node error. */
export async function getDelimitedRows(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	request: DelimitedRequest,
): Promise<Array<Record<string, string>>> {
	const { subject, itemIndex } = request;
	const text = (await growingIoRequest.call(this, { path: request.path, responseFormat: 'text', subject, itemIndex })) as string;
	// A proxy or login page answers 200 too; parsed as CSV it would become nonsense items.
	if (/^\s*<(!doctype|html)/i.test(text)) {
		throw new NodeOperationError(this.getNode(), `GrowingIO answered with a web page instead of the CSV file for ${subject}`, {
			itemIndex,
			description: 'Check that the Base URL in the credential is the API host (e.g. https://www.growingio.com), not a proxy or login page.',
		});
	}
	const { rows, failure } = readDelimited(text, request);
	if (failure) {
		throw new NodeOperationError(this.getNode(), `GrowingIO sent a malformed CSV file for ${subject}: ${failure.message}`, {
			itemIndex,
			description: 'Try again; if it persists, GrowingIO may have changed this file\'s format: please report it.',
		});
	}
	return rows;
}
