import { limiterKey, paceForRate, type Pace } from '../../../core/transport/rateLimiter';

/** GrowingIO documents 2 requests per second for chart downloads and raw export. */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

/** GrowingIO's limit: at most 2 request starts in any second. */
export const GROWINGIO_PACE: Pace = paceForRate(DEFAULT_REQUESTS_PER_SECOND);

/** One budget per GrowingIO host and project, shared by every node, trigger and credential of the process. */
export function projectLimiterKey(baseUrl: string, projectUid: string): string {
	return limiterKey('growingio', baseUrl, projectUid);
}
