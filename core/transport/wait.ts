import * as workflow from 'n8n-workflow';
import { ManualExecutionCancelledError, sleep } from 'n8n-workflow';

/**
 * Every wait of a node (a rate-limit slot, a retry's backoff, a poll for a job that is still
 * running) ends at once when the user stops the execution. Only operations have a cancel signal;
 * triggers' polls and list searches sleep plainly.
 */

type SleepWithAbort = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n-workflow 1.x and 2.8 export sleepWithAbort; 2.41 no longer does. Read through the module
 * object so that its absence is undefined at run time instead of a failed import.
 */
const sleepWithAbort = (workflow as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;

/** The execution's cancel signal, when the context has one (operations do; polls and list searches do not). */
export function cancelSignalOf(context: object): AbortSignal | undefined {
	const getSignal = (context as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal;
	return typeof getSignal === 'function' ? getSignal.call(context) : undefined;
}

/** Throws n8n's own cancellation error once the execution was stopped, so no further request is sent. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new ManualExecutionCancelledError('');
}

/** Sleeps `ms`, or rejects with n8n's cancellation error as soon as `signal` aborts. */
export async function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (typeof sleepWithAbort === 'function') return await sleepWithAbort(ms, signal);
	throwIfCancelled(signal);
	let onAbort: (() => void) | undefined;
	try {
		await Promise.race([
			sleep(ms),
			new Promise<never>((_resolve, reject) => {
				onAbort = () => reject(new ManualExecutionCancelledError(''));
				signal.addEventListener('abort', onAbort, { once: true });
			}),
		]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

/** Sleeps `ms`, ending early (with n8n's cancellation error) if the context's execution is stopped. */
export async function sleepInContext(context: object, ms: number): Promise<void> {
	await cancellableSleep(ms, cancelSignalOf(context));
}
