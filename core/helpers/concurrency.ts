/**
 * Runs `work` for indexes 0..count-1 with at most `limit` running at once, results in index order.
 *
 * Items overlap so that a slow answer does not hold back the next request: the shared rate
 * limiter, not this pool, decides when each request starts. After the first failure no new
 * work starts; the failure with the lowest index is rethrown once running work has settled.
 */
export async function mapInOrder<T>(count: number, limit: number, work: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	const failures = new Map<number, unknown>();
	let next = 0;

	const worker = async (): Promise<void> => {
		while (next < count && failures.size === 0) {
			const index = next++;
			try {
				results[index] = await work(index);
			} catch (error) {
				failures.set(index, error);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));

	if (failures.size) throw failures.get(Math.min(...failures.keys()));
	return results;
}
