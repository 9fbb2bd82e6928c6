/**
 * OpenPanel's query-string handling: repeated keys arrive as arrays, then every value is parsed
 * before validation — numeric text becomes a number, "true"/"false" booleans, and anything that
 * parses as JSON becomes that JSON value (so `profileId=12345` fails a string schema, while
 * `profileId="12345"` passes as the string 12345).
 */

export type QueryValue = unknown;

function parseValue(text: string): unknown {
	if (text === 'true') return true;
	if (text === 'false') return false;
	if (text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

export function parseQueryString(search: URLSearchParams): Record<string, unknown> {
	const query: Record<string, unknown> = {};
	for (const key of new Set(search.keys())) {
		const values = search.getAll(key).map(parseValue);
		query[key] = values.length > 1 ? values : values[0];
	}
	return query;
}

/** A validation failure, answered 400 as OpenPanel's error handler does: `querystring/<field> <problem>`. */
export class QueryError extends Error {}

export function optionalString(query: Record<string, unknown>, name: string): string | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'string') throw new QueryError(`querystring/${name} Invalid input: expected string, received ${typeof value}`);
	return value;
}

export function stringOrStrings(query: Record<string, unknown>, name: string): string[] | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	const list = Array.isArray(value) ? value : [value];
	list.forEach((item, index) => {
		if (typeof item !== 'string') throw new QueryError(`querystring/${name}${Array.isArray(value) ? `/${index}` : ''} Invalid input: expected string, received ${typeof item}`);
	});
	return list as string[];
}

export function optionalNumber(query: Record<string, unknown>, name: string): number | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new QueryError(`querystring/${name} Invalid input: expected number, received ${typeof value}`);
	return value;
}

export function optionalEnum<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || !allowed.includes(value as T)) {
		throw new QueryError(`querystring/${name} Invalid option: expected one of ${allowed.map((a) => `"${a}"`).join('|')}`);
	}
	return value as T;
}

/** A JSON array of objects (after parsing); a missing value is undefined, anything else a 400. */
export function objectArray(query: Record<string, unknown>, name: string): Array<Record<string, unknown>> | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	const list = Array.isArray(value) ? value : [value];
	if (!Array.isArray(value) && typeof value !== 'object') throw new QueryError(`querystring/${name} Invalid input: expected array, received ${typeof value}`);
	list.forEach((item, index) => {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) {
			throw new QueryError(`querystring/${name}/${index} Invalid input: expected object, received ${typeof item}`);
		}
	});
	return list as Array<Record<string, unknown>>;
}
