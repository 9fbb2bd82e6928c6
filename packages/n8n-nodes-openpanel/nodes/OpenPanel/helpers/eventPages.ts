import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { ServiceContext } from '../../../core/transport/serviceRequest';
import { openPanelRequest, type QueryValue } from '../transport';

/** Current servers return up to 1000 events per page; older ones clamp to 50 (detected from the answer). */
const MAX_PAGE_SIZE = 1000;

interface EventsPage {
	meta?: { count?: number; totalCount?: number; pages?: number; current?: number };
	data?: IDataObject[];
}

export interface EventPagesOptions {
	/** Stop after this many events; undefined for all. */
	limit?: number;
	itemIndex?: number;
	subject: string;
	/** Stop paging once an event passes this test (the list is newest first, so all later ones would too). */
	isPastEnd?: (event: IDataObject) => boolean;
}

/** One page of /export/events; an answer without a data list is an error. */
async function requestPage(
	context: ServiceContext,
	query: Record<string, QueryValue>,
	page: number,
	limit: number,
	subject: string,
	itemIndex?: number,
): Promise<EventsPage & { data: IDataObject[] }> {
	const answer = (await openPanelRequest(context, { path: '/export/events', query: { ...query, limit, page }, itemIndex, subject })) as EventsPage;
	if (!Array.isArray(answer?.data)) {
		throw new NodeOperationError(context.getNode(), 'OpenPanel answered /export/events without a data list', {
			itemIndex,
			description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api).',
		});
	}
	return answer as EventsPage & { data: IDataObject[] };
}

/**
 * Reads /export/events page by page, newest first. Pages are taken by offset over a table that
 * grows while it is read: a new event moves the later pages down, so a page may repeat events of
 * the previous one. Events are kept once by ID; nothing is lost, as inserts only push events later.
 */
export async function readEventPages(context: ServiceContext, query: Record<string, QueryValue>, options: EventPagesOptions): Promise<IDataObject[]> {
	const { limit, itemIndex, subject, isPastEnd } = options;
	let pageSize = Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const seen = new Set<string>();
	const events: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const answer = await requestPage(context, query, page, pageSize, subject, itemIndex);
		const data = answer.data;
		if (page === 1 && data.length < pageSize && (answer.meta?.totalCount ?? 0) > data.length && data.length > 0) {
			// An older server clamps limit (to 50); read on in pages of the size it gave.
			pageSize = data.length;
		}
		for (const event of data) {
			if (isPastEnd?.(event)) return events;
			const id = String(event.id ?? '');
			if (id && seen.has(id)) continue;
			if (id) seen.add(id);
			events.push(event);
			if (limit !== undefined && events.length >= limit) return events;
		}
		if (data.length < pageSize) return events;
	}
}

/** An event read by offset, with its place counted from the oldest end of the list (0 = oldest). */
export interface PlacedEvent {
	event: IDataObject;
	/** Stays the same while newer events arrive (they are added at the newest end). */
	fromOldest: number;
}

export interface EventRange {
	events: PlacedEvent[];
	/** The list's length at the last page read. */
	total: number;
	/** The largest page the server gave (50 on older servers). */
	maxPageSize: number;
}

/**
 * The page size (≤ `maxSize`) that reads offsets [start, end) in the fewest pages, and of those
 * the fewest events (pages start at multiples of their size); the first page to ask for.
 */
function pagePlan(start: number, end: number, maxSize: number): { size: number; page: number } {
	let best = { size: maxSize, pages: Infinity };
	for (let size = maxSize; size >= 1; size--) {
		const pages = Math.floor((end - 1) / size) - Math.floor(start / size) + 1;
		if (pages < best.pages || (pages === best.pages && pages * size < best.pages * best.size)) best = { size, pages };
	}
	return { size: best.size, page: Math.floor(start / best.size) + 1 };
}

/** Events that may arrive between a look at the list's length and the next page: read a little further. */
const ARRIVAL_SLACK = 10;

/**
 * The events from offset `start` (0 = newest) down to the one `toOldest` places from the oldest
 * end, in few pages of a fitting size, read in offset order. Events arriving meanwhile push later
 * pages down, so pages overlap rather than leave gaps (events are kept once by ID), and the end is
 * found again from each page's list length. Reads on until `enough` holds for the events read
 * (the caller's check, on the events themselves, that the range reached what it needs), or a
 * short page ends the list; the count only plans the pages.
 */
export async function readEventRange(
	context: ServiceContext,
	query: Record<string, QueryValue>,
	range: { start: number; toOldest: number; total: number; maxPageSize?: number; enough: (events: PlacedEvent[]) => boolean },
	subject: string,
): Promise<EventRange> {
	const events: PlacedEvent[] = [];
	const ids = new Set<string>();
	let maxSize = Math.min(range.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	let position = Math.max(range.start, 0);
	let total = range.total;
	let extra = 0;
	for (;;) {
		const end = Math.max(total - range.toOldest + ARRIVAL_SLACK + extra, position + 1);
		const { size, page } = pagePlan(position, end, maxSize);
		const answer = await requestPage(context, query, page, size, subject);
		const data = answer.data;
		total = answer.meta?.totalCount ?? total;
		const offset = (page - 1) * size;
		if (data.length < size && offset + data.length < total && data.length > 0) {
			// An older server clamps limit (to 50): plan again with the size it gave.
			maxSize = data.length;
			continue;
		}
		data.forEach((event, index) => {
			const id = String(event.id ?? '');
			if (id && ids.has(id)) return;
			if (id) ids.add(id);
			events.push({ event, fromOldest: total - 1 - (offset + index) });
		});
		position = offset + size;
		// Only a short page is the list's end: OpenPanel caches the count for minutes, so the list
		// may be longer than it says (new events, counted from the newest end, push the rest down).
		if (data.length < size) return { events, total, maxPageSize: maxSize };
		if (position >= total || events.some((placed) => placed.fromOldest <= range.toOldest)) {
			if (range.enough(events)) return { events, total, maxPageSize: maxSize };
			// Not yet what the caller needs: on in steps of up to a full page.
			extra += maxSize;
		}
	}
}

/** The event at `offset` (0 = newest) of the list, and the list's length. */
export async function eventAt(context: ServiceContext, query: Record<string, QueryValue>, offset: number, subject: string): Promise<{ event?: IDataObject; total: number }> {
	const answer = await requestPage(context, query, offset + 1, 1, subject);
	return { event: answer.data?.[0], total: answer.meta?.totalCount ?? 0 };
}
