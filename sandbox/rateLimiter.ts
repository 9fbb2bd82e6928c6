/**
 * GrowingIO's "2 requests per second": a sliding window over arrival times. A request that
 * would make more than `limit` arrivals in (t - window, t] is refused, and refused requests
 * still count, so a client that keeps hammering keeps getting 429.
 */

export class SlidingWindowLimiter {
	private arrivals: number[] = [];

	constructor(
		private readonly limit: number,
		private readonly windowMs = 1000,
	) {}

	/** Counts an arrival and says whether it is within the limit. A limit of 0 allows everything. */
	hit(arrivedAt: number): boolean {
		while (this.arrivals.length && this.arrivals[0] <= arrivedAt - this.windowMs) this.arrivals.shift();
		this.arrivals.push(arrivedAt);
		return this.limit <= 0 || this.arrivals.length <= this.limit;
	}
}

/** The largest number of times that fall in any window (t - windowMs, t]. */
export function maxInAnyWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	let first = 0;
	for (let last = 0; last < sorted.length; last++) {
		while (sorted[first] <= sorted[last] - windowMs) first++;
		best = Math.max(best, last - first + 1);
	}
	return best;
}
