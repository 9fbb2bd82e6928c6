/**
 * The n8n commands of a bench, one at a time: each gets a fresh task-runner broker port (an n8n
 * that has just exited may still hold the last one), its time is recorded and printed.
 */
import { freePort, runN8n, tail } from '../test/e2e/n8nProcess';

export interface N8nStepTime {
	step: string;
	seconds: number;
	exit: number | null;
}

export function n8nStepRunner(label: string, env: NodeJS.ProcessEnv, work: string, logDir: string, timeoutMs: number) {
	const steps: N8nStepTime[] = [];
	/** Runs `n8n <args>`; with `mustSucceed`, a non-zero exit throws with the tail of its output. */
	const step = async (name: string, args: string[], mustSucceed: boolean) => {
		env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
		const result = await runN8n(name, args, env, work, logDir, timeoutMs);
		steps.push({ step: name, seconds: result.ms / 1000, exit: result.code });
		console.log(`${label}: n8n ${name}: ${(result.ms / 1000).toFixed(1)} s (exit ${result.code})`);
		if (mustSucceed && result.code !== 0) throw new Error(`n8n ${args[0]} failed\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		return result;
	};
	return { steps, step };
}
