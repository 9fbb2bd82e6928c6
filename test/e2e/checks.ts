/**
 * The checks of a real-n8n runner (runE2e.ts, the queue-mode test): each printed as PASS/FAIL
 * when it is made, and the last line "<label>: N passed, M failed" that run.sh reads.
 */

interface Check {
	name: string;
	ok: boolean;
	detail?: string;
}

const checks: Check[] = [];

/** Long enough for a request timeline; a longer detail (a whole file, say) is cut. */
const DETAIL_LIMIT = 20_000;

export function check(name: string, ok: boolean, detail?: string): void {
	if (detail && detail.length > DETAIL_LIMIT) detail = `${detail.slice(0, DETAIL_LIMIT)} … (${detail.length - DETAIL_LIMIT} more characters)`;
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `\n     ${detail.split('\n').join('\n     ')}` : ''}`);
}

export function allChecksPassed(): boolean {
	return checks.every((c) => c.ok);
}

/**
 * Runs a runner's `main` (its exit code), records a throw as a failed check named `runnerName`,
 * prints the summary line and exits: 1 when any check failed, else main's code.
 */
export function runChecked(label: string, runnerName: string, main: () => Promise<number>): void {
	main()
		.catch((error: unknown) => {
			check(runnerName, false, error instanceof Error ? (error.stack ?? error.message) : String(error));
			return 1;
		})
		.then((code) => {
			const passed = checks.filter((c) => c.ok).length;
			const failed = checks.length - passed;
			console.log(`${label}: ${passed} passed, ${failed} failed`);
			process.exit(failed > 0 ? 1 : code);
		});
}
