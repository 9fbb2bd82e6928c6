import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { ServiceContext } from '../../../core/transport/serviceRequest';
import { openPanelRequest, type QueryValue } from '../transport';

/** Current servers return up to 1000 events per page; older ones clamp to 50 (detected from the answer). */
export const MAX_PAGE_SIZE = 1000;

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
		const answer = (await openPanelRequest(context, { path: '/export/events', query: { ...query, limit: pageSize, page }, itemIndex, subject })) as EventsPage;
		if (!Array.isArray(answer?.data)) {
			throw new NodeOperationError(context.getNode(), 'OpenPanel answered /export/events without a data list', {
				itemIndex,
				description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api).',
			});
		}
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
