/** OpenPanel's export filters by whole UTC days (`start`/`end` as YYYY-MM-DD). */

export const DAY_MS = 86_400_000;

/** The UTC day of a time, as YYYY-MM-DD. */
export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}
