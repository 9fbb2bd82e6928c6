/** An error the imitation answers with a status, as OpenPanel's error handler does: `{status, error?, message}` (a 5xx as plain text). */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly error?: string,
		/** Extra response headers, e.g. a 429's Retry-After. */
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}
