/**
 * CSV in GrowingIO's raw-export dialect: delimiter `,`, quote `"`, escape `\` (not RFC 4180's
 * doubled quotes). A field is quoted only when it must be; inside quotes `"` becomes `\"` and
 * `\` becomes `\\`. Empty and missing values are empty fields.
 */

export type CsvValue = string | number | null | undefined;

const NEEDS_QUOTES = /[",\\\r\n]/;

export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	if (!NEEDS_QUOTES.test(text)) return text;
	return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** One line including its `\n` terminator. */
export function csvLine(values: readonly CsvValue[]): string {
	let line = '';
	for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvField(values[i]);
	return `${line}\n`;
}
