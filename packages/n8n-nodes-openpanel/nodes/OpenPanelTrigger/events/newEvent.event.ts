import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { readNumberInRange } from '../../../core/helpers/numberParameters';
import type { TriggerEvent } from '../../../core/trigger/pollEvents';
import { eventAt, readEventPages, readEventRange, type PlacedEvent } from '../../OpenPanel/helpers/eventPages';
import { projectIdOrDefault } from '../../OpenPanel/helpers/parameters';
import { DAY_MS, utcDay } from '../../OpenPanel/helpers/utcDays';
import type { QueryValue } from '../../OpenPanel/transport';

/**
 * On New Event: the events created since the cursor, each once (the IDs delivered within the
 * lookback are kept), oldest first, at most Max Events per Poll.
 *
 * OpenPanel lists events newest first by offset over whole UTC days, with no time-of-day filter.
 * The poll reads one list from the day of `from` (cursor − lookback) to today, and only the part
 * it needs: the events just newer than `from`, found by their place counted from the list's
 * oldest end (newer events never move it). The number of list events older than `from` is kept
 * for the next poll; without it (first poll, changed settings) it is found by a binary search.
 * So a poll reads about lookback + Max Events per Poll events, however much a day holds.
 */

const show = { event: ['newEvent'] };
const MINUTE_MS = 60_000;

export const description: INodeProperties[] = [
	{
		displayName: 'Event Names or IDs',
		name: 'eventNames',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEventNames', loadOptionsDependsOn: ['projectId.value'] },
		default: [],
		displayOptions: { show },
		description: 'Only these events; none for all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Lookback (Minutes)',
		name: 'lookbackMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1440 },
		default: 60,
		displayOptions: { show },
		description: 'Events that reach OpenPanel late, up to this long after they happened, are still delivered (once)',
	},
	{
		displayName: 'Max Events per Poll',
		name: 'maxEventsPerPoll',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 1000,
		displayOptions: { show },
		description: 'After a downtime, the oldest events come first, this many per poll, until the trigger has caught up',
	},
];

/** Where `from` was in the list of the last poll: how many of its events are older. */
interface ListPlace extends IDataObject {
	/** The list (project, names, first day) and the time the count is for. */
	list: string;
	from: string;
	olderCount: number;
	/** The largest page the server gives (older servers clamp to 50). */
	pageSize?: number;
}

/** What the trigger keeps between polls: activation, the newest delivered time and the IDs delivered since cursor − lookback. */
interface NewEventState extends IDataObject {
	/** Events from before the activation are never delivered, even late ones. */
	since?: string;
	cursor?: string;
	seen?: Array<{ id: string; at: string }>;
	place?: ListPlace;
}

function createdAt(event: IDataObject): number {
	return Date.parse(String(event.createdAt ?? ''));
}

/** How many list events are older than `time`, from events read contiguously from below it upwards. */
function olderThan(events: PlacedEvent[], time: number): number {
	let count = 0;
	for (const { event, fromOldest } of events) if (createdAt(event) < time) count = Math.max(count, fromOldest + 1);
	return count;
}

/** Binary search for the number of list events older than `from` (one one-event page per step). */
async function countOlder(context: IPollFunctions, query: Record<string, QueryValue>, from: number, total: number, subject: string): Promise<number> {
	let [low, high] = [0, total];
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		const { event } = await eventAt(context, query, middle, subject);
		if (!event || createdAt(event) < from) high = middle;
		else low = middle + 1;
	}
	return total - low;
}

export async function poll(this: IPollFunctions, stored: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
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
	const listOf = (from: number) => JSON.stringify([projectId, names, utcDay(from)]);
	if (!state.cursor) {
		// Activated: events from now on, so today's events so far are all older. (Saved with the first poll that delivers.)
		const { total } = await eventAt(this, { ...query, start: utcDay(now), end: utcDay(now) }, 0, subject);
		const at = new Date(now).toISOString();
		Object.assign(state, { since: at, cursor: at, seen: [], place: { list: listOf(now), from: at, olderCount: total } });
		return [];
	}
	const since = Date.parse(state.since ?? state.cursor);
	const fromOf = (cursor: number) => Math.max(cursor - lookbackMs, since);
	const from = fromOf(Date.parse(state.cursor));
	const seen = new Set((state.seen ?? []).map((entry) => entry.id));
	const listQuery = { ...query, start: utcDay(from), end: utcDay(now) };

	// OpenPanel's count may be minutes old (it caches it): an event at the newest end says more.
	const { total: counted, event: newest } = await eventAt(this, listQuery, 0, subject);
	if (counted === 0 && !newest) return [];
	const total = Math.max(counted, 1);
	const place = state.place;
	const known = place && place.list === listOf(from) && place.from === new Date(from).toISOString();
	const older = Math.min(known ? place.olderCount : await countOlder(this, listQuery, from, total, subject), total);
	// From the newest list event older than `from` (if any) up to the events a poll may deliver:
	// those seen within the lookback, then Max Events per Poll new ones.
	const boundary = total - older;
	const { events, maxPageSize } = await readEventRange(
		this,
		listQuery,
		{
			start: boundary - seen.size - max,
			toOldest: Math.max(older - 1, 0),
			total,
			// Known for this list: the server clamped pages before (tried again with each new list, daily).
			maxPageSize: known ? place.pageSize : undefined,
			// Reached an event older than `from`: every newer one is read. With none counted older, or
			// counts that lag (late events below, a cached total), only the list's real end says so.
			enough: (read) => older > 0 && read.some(({ event }) => createdAt(event) < from),
		},
		subject,
	);
	const delivered = events
		.map(({ event }) => event)
		.filter((event) => createdAt(event) >= from && !seen.has(String(event.id)))
		.sort((a, b) => createdAt(a) - createdAt(b) || String(a.id).localeCompare(String(b.id)))
		.slice(0, max);

	const cursor = Math.max(Date.parse(state.cursor), ...delivered.map(createdAt));
	const nextFrom = fromOf(cursor);
	// Counted in the list the next poll reads, which starts on the day of its `from`.
	const dayStart = Date.parse(`${utcDay(nextFrom)}T00:00:00Z`);
	const olderCount = olderThan(events, nextFrom) - (dayStart > from ? olderThan(events, dayStart) : 0);
	state.place = { list: listOf(nextFrom), from: new Date(nextFrom).toISOString(), olderCount, pageSize: maxPageSize };
	if (!delivered.length) return [];

	const keepFrom = cursor - lookbackMs;
	const stillSeen = (state.seen ?? []).filter((entry) => Date.parse(entry.at) >= keepFrom);
	const newlySeen = delivered.filter((event) => createdAt(event) >= keepFrom).map((event) => ({ id: String(event.id), at: String(event.createdAt) }));
	Object.assign(state, { since: state.since ?? state.cursor, cursor: new Date(cursor).toISOString(), seen: [...stillSeen, ...newlySeen] });
	return this.helpers.returnJsonArray(delivered);
}

export const newEvent: TriggerEvent = { description, poll };
