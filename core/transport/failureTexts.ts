import { BROKEN_CONNECTION_CODES, type RequestFailure } from './retryPolicy';
import type { Explanation } from './serviceRequest';

/**
 * The what-happened / what-to-do texts of failures that are not the service's own answer (a
 * refused credential, a timeout, a broken connection, garbled JSON, a proxy's web page), the same
 * for every service but for its name and its hints. Each service words its HTTP answers itself.
 */

/** A service's name and what its users should check. */
export interface TransportFailureHints {
	service: string;
	/** What to do after a timeout (e.g. a shorter range, Options → Timeout). */
	timeout: string;
	/** What to check when the service cannot be reached (its credential's Base URL). */
	unreachable: string;
	/** What to check when a web page came instead of data. */
	html: string;
}

/** " after 3 tries", or nothing for a first try. */
export function afterTries(attempts: number): string {
	return attempts > 1 ? ` after ${attempts} tries` : '';
}

/** ": <what the service said>", or nothing. */
export function saidBy(failure: RequestFailure): string {
	return failure.message ? `: ${failure.message}` : '';
}

/** A credential field the checks refused, or a failed login; n8n's summary shows only the description, so it repeats the problem. */
export function credentialProblem(service: string, problem: string): Explanation {
	return { message: problem, description: `${problem} Open the ${service} credential used by this node, correct it and save it.` };
}

/** The texts for a failure that is not an HTTP answer of the service; undefined for one that is. */
export function explainTransportFailure(failure: RequestFailure, attempts: number, hints: TransportFailureHints): Explanation | undefined {
	const { service } = hints;
	switch (failure.kind) {
		case 'credentials':
			return credentialProblem(service, failure.message ?? `The ${service} credential is not usable`);
		case 'timeout':
			return { message: `${service} did not answer in time${afterTries(attempts)}`, description: hints.timeout };
		case 'network':
			if (failure.detail && BROKEN_CONNECTION_CODES.has(failure.detail)) {
				return {
					message: `The connection to ${service} broke${afterTries(attempts)} (${failure.detail}: ${failure.detail === 'ERR_BAD_RESPONSE' ? 'the answer stopped part-way' : 'the connection was reset'})`,
					description: `${service} or a proxy in between closed the connection before the answer was complete. Try again later or raise Options → Max Tries; if it keeps happening, check the proxies and firewalls between n8n and ${service}.`,
				};
			}
			return { message: `Could not connect to ${service}${afterTries(attempts)} (${failure.detail ?? 'network failure'})`, description: hints.unreachable };
		case 'invalid_json':
			return {
				message: `${service} answered with data that is not valid JSON${afterTries(attempts)}`,
				description: 'This is usually a broken connection or a proxy in between. Try again; if it persists, check the Base URL.',
			};
		case 'html':
			return {
				message: `${service} answered with a web page instead of data (HTTP ${failure.status ?? 200}: ${failure.detail ?? 'an HTML page'})${afterTries(attempts)}`,
				description: hints.html,
			};
		default:
			return undefined;
	}
}
