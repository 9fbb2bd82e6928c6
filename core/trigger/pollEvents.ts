import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

/**
 * What every trigger event provides. `state` is the event's part of the workflow's static data:
 * n8n saves it with each emitted poll, so it survives restarts. In manual mode ("Fetch Test
 * Event") the event gets a copy, returns a representative sample and its changes are dropped.
 */
export interface TriggerEvent {
	description: INodeProperties[];
	poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]>;
}

/**
 * Polls running now, by workflow and node. n8n starts a poll on schedule even while the last one
 * still runs (a long catch-up, downloads); two at once would read the same cursor and deliver
 * the same items twice, so the later one leaves the work to the running one.
 */
const pollsInProgress = new Set<string>();

/** A polling trigger's `poll`: runs the chosen event (parameter `event`) on its saved state. */
export async function pollEvents(this: IPollFunctions, events: Record<string, TriggerEvent>): Promise<INodeExecutionData[][] | null> {
	const event = this.getNodeParameter('event') as string;
	const handler = events[event];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `Event "${event}" is not one of ${Object.keys(events).join(', ')}`, {
			description: 'Choose an Event from the list.',
		});
	}
	return await pollEvent.call(this, event, handler);
}

/** The `poll` of one event, whose state is kept in the node's static data under `key`. */
async function pollEvent(this: IPollFunctions, key: string, handler: Pick<TriggerEvent, 'poll'>): Promise<INodeExecutionData[][] | null> {
	const staticData = this.getWorkflowStaticData('node');
	if (this.getMode() === 'manual') {
		const copy = JSON.parse(JSON.stringify(staticData[key] ?? {})) as IDataObject;
		const sample = await handler.poll.call(this, copy, true);
		return sample.length ? [sample] : null;
	}
	const running = `${this.getWorkflow().id ?? ''}|${this.getNode().name}`;
	if (pollsInProgress.has(running)) return null;
	pollsInProgress.add(running);
	let items: INodeExecutionData[];
	try {
		const state = (staticData[key] as IDataObject | undefined) ?? {};
		items = await handler.poll.call(this, state, false);
		// Assigned at the top level: n8n notices (and saves) changes there.
		if (staticData[key] !== undefined || Object.keys(state).length) staticData[key] = state;
	} finally {
		pollsInProgress.delete(running);
	}
	return items.length ? [items] : null;
}

/**
 * The event's state, reset when what it watches changes (another chart, dashboard or
 * threshold), so a new target never inherits the old one's cursor or "already fired" flag.
 */
export function stateFor(state: IDataObject, target: string): IDataObject {
	if (state.target !== target) {
		for (const key of Object.keys(state)) delete state[key];
		state.target = target;
	}
	return state;
}
