import { limiterKey, paceForRate, type Pace } from '../../../core/transport/rateLimiter';

/** GrowingIO documents 2 requests per second for chart downloads and raw export. */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

/** GrowingIO's limit: at most 2 request starts in any second. */
export const GROWINGIO_PACE: Pace = paceForRate(DEFAULT_REQUESTS_PER_SECOND);

/**
 * The pace of requests that n8n sends itself with this credential (HTTP Request nodes): between
 * the credential's step and the socket, n8n's request layer does more of its own work (2.41: DNS,
 * SSRF checks, agents), and a busy n8n was seen holding such a request about 100 ms, so these keep
 * a wider margin.
 */
export const HTTP_REQUEST_NODE_PACE: Pace = { ...GROWINGIO_PACE, marginMs: 150 };

/** One budget per GrowingIO host and project, shared by every node, trigger and credential that this n8n (main or worker) runs. */
export function projectLimiterKey(baseUrl: string, projectUid: string): string {
	return limiterKey('growingio', baseUrl, projectUid);
}
