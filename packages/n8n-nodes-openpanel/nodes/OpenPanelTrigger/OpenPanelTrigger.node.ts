import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { readNumberInRange } from '../../core/helpers/numberParameters';
import { pollEvent } from '../../core/trigger/pollEvents';
import { readEventPages } from '../OpenPanel/helpers/eventPages';
import { projectIdOrDefault } from '../OpenPanel/helpers/parameters';
import { openPanelApiTest } from '../OpenPanel/methods/credentialTest';
import { getEventNames } from '../OpenPanel/methods/loadOptions';
import { openPanelOptions } from '../OpenPanel/transport';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** What the trigger keeps between polls: activation, the newest delivered time and the IDs delivered since cursor − lookback. */
interface NewEventState extends IDataObject {
	/** Events from before the activation are never delivered, even late ones. */
	since?: string;
	cursor?: string;
	seen?: Array<{ id: string; at: string }>;
}

function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function createdAt(event: IDataObject): number {
	return Date.parse(String(event.createdAt ?? ''));
}

export class OpenPanelTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPanel Trigger',
		name: 'openPanelTrigger',
		icon: { light: 'file:openpanel.svg', dark: 'file:openpanel.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'On New Event',
		description: 'Starts the workflow when new events arrive in OpenPanel',
		defaults: { name: 'OpenPanel Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openPanelApi', required: true, testedBy: 'openPanelApiTest' }],
		properties: [
			{
				displayName: 'Project ID',
				name: 'projectId',
				type: 'string',
				default: '',
				description: "The project to watch. Empty: the credential's Project ID, or a read client's own project. A root client needs one.",
			},
			{
				displayName: 'Event Names or IDs',
				name: 'eventNames',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEventNames', loadOptionsDependsOn: ['projectId'] },
				default: [],
				description: 'Only these events; none for all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Lookback (Minutes)',
				name: 'lookbackMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1440 },
				default: 60,
				description: 'Events that reach OpenPanel late, up to this long after they happened, are still delivered (once)',
			},
			{
				displayName: 'Max Events per Poll',
				name: 'maxEventsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 1000,
				description: 'After a downtime, the oldest events come first, this many per poll, until the trigger has caught up',
			},
			openPanelOptions,
		],
	};

	methods = { credentialTest: { openPanelApiTest }, loadOptions: { getEventNames } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEvent.call(this, 'newEvent', { poll: pollNewEvents });
	}
}

/** On New Event: the events created since the cursor, each once (ids seen within the lookback). */
async function pollNewEvents(this: IPollFunctions, stored: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const state = stored as NewEventState;
	const projectId = await projectIdOrDefault(this, this.getNodeParameter('projectId', ''));
	const names = (this.getNodeParameter('eventNames', []) as string[]).map(String).filter(Boolean);
	const lookbackMs = readNumberInRange(this.getNode(), this.getNodeParameter('lookbackMinutes', 60), { label: 'Lookback (Minutes)', min: 0, max: 1440 }) * MINUTE_MS;
	const max = readNumberInRange(this.getNode(), this.getNodeParameter('maxEventsPerPoll', 1000), { label: 'Max Events per Poll', min: 1, max: 10000, whole: true });
	const query = { ...(projectId ? { projectId, project_id: projectId } : {}), ...(names.length ? { event: names } : {}) };
	const subject = `the new events of ${projectId ? `project "${projectId}"` : "the client's project"}`;
	const now = Date.now();

	if (manual) {
		// Fetch Test Event: the newest matching event of today or yesterday; no state is touched.
		const sample = await readEventPages(this, { ...query, start: utcDay(now - DAY_MS), end: utcDay(now) }, { limit: 1, subject });
		return this.helpers.returnJsonArray(sample);
	}
	if (!state.cursor) {
		// Activated: events from now on. (Saved with the first poll that delivers.)
		Object.assign(state, { since: new Date(now).toISOString(), cursor: new Date(now).toISOString(), seen: [] });
		return [];
	}
	const from = Math.max(Date.parse(state.cursor) - lookbackMs, Date.parse(state.since ?? state.cursor));
	const seen = new Set((state.seen ?? []).map((entry) => entry.id));
	const delivered: IDataObject[] = [];
	// OpenPanel lists newest first by whole days: read day by day from the oldest, so a
	// catch-up delivers the oldest events first and can stop after Max Events per Poll.
	for (let day = Date.parse(`${utcDay(from)}T00:00:00Z`); day <= now && delivered.length < max; day += DAY_MS) {
		const events = await readEventPages(this, { ...query, start: utcDay(day), end: utcDay(day) }, { subject, isPastEnd: (event) => createdAt(event) < from });
		const fresh = events
			.filter((event) => createdAt(event) >= from && !seen.has(String(event.id)))
			.sort((a, b) => createdAt(a) - createdAt(b) || String(a.id).localeCompare(String(b.id)));
		delivered.push(...fresh.slice(0, max - delivered.length));
	}
	if (!delivered.length) return [];

	const cursor = Math.max(Date.parse(state.cursor), ...delivered.map(createdAt));
	const keepFrom = cursor - lookbackMs;
	const stillSeen = (state.seen ?? []).filter((entry) => Date.parse(entry.at) >= keepFrom);
	const newlySeen = delivered.filter((event) => createdAt(event) >= keepFrom).map((event) => ({ id: String(event.id), at: String(event.createdAt) }));
	Object.assign(state, { since: state.since ?? state.cursor, cursor: new Date(cursor).toISOString(), seen: [...stillSeen, ...newlySeen] });
	return this.helpers.returnJsonArray(delivered);
}
