import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { growingIoRequest, type RunContext } from '../transport';
import { sleepInContext } from '../../../core/transport/wait';

/**
 * GrowingIO's asynchronous v3 exporter: the first GET answers
 * `{"id","status":"doing"}`; the same GET is repeated until the answer is something else
 * (the finished payload, or `status: failed`).
 */

/** Polls every 1 s at first, backing off to every 10 s: GrowingIO allows 2 requests per second. */
const FIRST_POLL_DELAY_MS = 1000;
const MAX_POLL_DELAY_MS = 10000;

export interface ExporterRequest {
	path: string;
	qs?: IDataObject;
	/** What is being exported, for error messages, e.g. `the users of segment (分群) "Sg3kD7fH"`. */
	subject: string;
	maxWaitSeconds: number;
	itemIndex: number;
}

/** The first answer that is not `doing`; each poll goes through the shared limiter. */
export async function pollExporter(this: RunContext, request: ExporterRequest): Promise<unknown> {
	const { path, qs, subject, itemIndex } = request;
	const budgetMs = request.maxWaitSeconds * 1000;
	const started = Date.now();
	for (let poll = 1; ; poll++) {
		const body = await growingIoRequest.call(this, { path, qs, subject, itemIndex });
		if ((body as IDataObject | null)?.status !== 'doing') return body;

		const waited = Date.now() - started;
		if (waited >= budgetMs) {
			throw new NodeOperationError(this.getNode(), `GrowingIO was still preparing ${subject} after ${Math.round(waited / 1000)} s`, {
				itemIndex,
				description: 'Raise Options → Max Wait (Seconds), or run the node again later.',
			});
		}
		await sleepInContext(this, Math.min(MAX_POLL_DELAY_MS, FIRST_POLL_DELAY_MS * 2 ** (poll - 1), budgetMs - waited));
	}
}
