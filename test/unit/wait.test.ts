type WaitModule = typeof import('../../core/transport/wait');

/** wait.ts as loaded with this n8n-workflow (2.8, which has sleepWithAbort) or with one without it (2.41). */
function loadWait(withSleepWithAbort: boolean): WaitModule {
	let loaded: WaitModule | undefined;
	jest.isolateModules(() => {
		if (!withSleepWithAbort) {
			jest.doMock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleepWithAbort: undefined }));
		}
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		loaded = require('../../core/transport/wait') as WaitModule;
	});
	jest.dontMock('n8n-workflow');
	return loaded!;
}

/** n8n's error for a stopped execution (each isolated load has its own copy of the class, so by name). */
const cancelled = expect.objectContaining({ constructor: expect.objectContaining({ name: 'ManualExecutionCancelledError' }) });

describe.each([
	['n8n-workflow with sleepWithAbort (1.x, 2.8)', true],
	['n8n-workflow without sleepWithAbort (2.41)', false],
])('waits, %s', (_name, withSleepWithAbort) => {
	const { cancellableSleep, sleepInContext } = loadWait(withSleepWithAbort);

	it('sleeps the whole time when nothing stops it', async () => {
		const started = Date.now();
		await cancellableSleep(100, new AbortController().signal);
		expect(Date.now() - started).toBeGreaterThanOrEqual(95);
	});

	it('ends at once with n8n\'s cancellation error when the execution is stopped', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const sleeping = cancellableSleep(10_000, controller.signal);
		setTimeout(() => controller.abort(), 50);
		await expect(sleeping).rejects.toEqual(cancelled);
		expect(Date.now() - started).toBeLessThan(1000);
		// Already stopped: no wait at all.
		await expect(cancellableSleep(10_000, controller.signal)).rejects.toEqual(cancelled);
	});

	it('uses the context\'s cancel signal, and sleeps plainly in contexts without one (trigger polls, list searches)', async () => {
		const controller = new AbortController();
		const operation = { getExecutionCancelSignal: () => controller.signal };
		controller.abort();
		await expect(sleepInContext(operation, 10_000)).rejects.toEqual(cancelled);
		const started = Date.now();
		await sleepInContext({}, 50);
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
	});
});
