import { DateTime } from 'luxon';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type ILoadOptionsFunctions } from 'n8n-workflow';

import { growingIoRequest } from '../transport';
import { toNodeError } from '../transport/errors';
import { getDelimitedRows } from './csv';
import { RESOURCE_LABELS } from './ids';
import { pollExporter } from './exporter';
import { expectList, unexpectedAnswer } from './responses';
import { BEIJING_TIME } from './timeRange';

/** Segments (分群): the list, their users as rows (users.csv) and v3 download links. */

/** GrowingIO's cap on one users.csv download. */
export const MAX_SEGMENT_USERS = 200000;

const segmentSubject = (segmentId: string) => `${RESOURCE_LABELS.segment} "${segmentId}"`;

/** segmentations.json, checked: `{ id, name, userType: 'u' | 'cs1', userNum, updatedAt }` each. */
export async function getSegments(this: IExecuteFunctions | ILoadOptionsFunctions, itemIndex?: number): Promise<IDataObject[]> {
	const body = await growingIoRequest.call(this, { path: '/projects/{projectUid}/segmentations.json', subject: 'the segment list', itemIndex });
	return expectList(this.getNode(), body, 'the segment list', itemIndex);
}

/**
 * users.csv: TAB-separated, a header row (e.g. 登录用户ID, 登录用户变量1), one line per user.
 * GrowingIO refuses segments over its 200,000-row cap with a 400; the error then points to the
 * download link, which has no such limit in one response.
 */
export async function getSegmentUsers(
	this: IExecuteFunctions,
	segmentId: string,
	limit: number | undefined,
	itemIndex: number,
): Promise<Array<Record<string, string>>> {
	try {
		return await getDelimitedRows.call(this, {
			path: `/projects/{projectUid}/segmentations/${encodeURIComponent(segmentId)}/users.csv`,
			subject: `the users of ${segmentSubject(segmentId)}`,
			delimiter: '\t',
			limit,
			itemIndex,
		});
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, itemIndex);
		if (nodeError instanceof NodeApiError && nodeError.httpCode === '400') {
			// GrowingIO's docs give the cap for v2 and v3 alike, so the link may be refused too.
			nodeError.description = `GrowingIO serves at most ${MAX_SEGMENT_USERS.toLocaleString('en-US')} users per users.csv download. Try Output → "Download Link (V3 Exporter)"; if GrowingIO refuses that too, split the segment in GrowingIO into parts of fewer than ${MAX_SEGMENT_USERS.toLocaleString('en-US')} users.`;
		}
		throw nodeError;
	}
}

/**
 * When a segment download link expires, from its own `expires` (GrowingIO signs its links
 * `?sign=…&expires=<ms>`): GrowingIO keeps an issued link's first lifetime when asked again with
 * another expire, so the link knows better than the request. Epoch seconds are accepted too;
 * undefined when the link carries no such time.
 */
export function linkExpiresAt(link: string): DateTime | undefined {
	let text: string | null;
	try {
		text = new URL(link).searchParams.get('expires');
	} catch {
		return undefined;
	}
	if (!text || !/^\d{10,13}$/.test(text)) return undefined;
	const value = Number(text);
	return DateTime.fromMillis(text.length <= 10 ? value * 1000 : value, { zone: BEIJING_TIME });
}

/** Labels of GrowingIO's segment userType: who the segment counts. */
const USER_TYPE_LABELS: Record<string, [one: string, many: string]> = {
	u: ['visitor', 'visitors'],
	cs1: ['login user', 'login users'],
};

/** "高价值付费用户 · 320 login users": a segment's name, size and user type, for the picker. */
export function segmentLabel(segment: IDataObject): string {
	const name = String(segment.name ?? segment.id);
	const count = Number(segment.userNum);
	const type = typeof segment.userType === 'string' ? segment.userType : '';
	const [one, many] = USER_TYPE_LABELS[type] ?? ['user', 'users'];
	const size = Number.isFinite(count) && segment.userNum !== null && segment.userNum !== '' ? `${count.toLocaleString('en-US')} ${count === 1 ? one : many}` : many;
	return `${name} · ${size}${type && !USER_TYPE_LABELS[type] ? ` (${type})` : ''}`;
}

export interface SegmentLinkSettings {
	expireMinutes: number;
	maxWaitSeconds: number;
}

/** The v3 exporter's link(s) to the segment's user file: `{ id, status: done, downloadLinks }` when ready. */
export async function getSegmentDownloadLinks(
	this: IExecuteFunctions,
	segmentId: string,
	settings: SegmentLinkSettings,
	itemIndex: number,
): Promise<string[]> {
	const subject = `the users of ${segmentSubject(segmentId)}`;
	const body = (await pollExporter.call(this, {
		path: `/v3/exporter/projects/{projectUid}/segmentations/${encodeURIComponent(segmentId)}/users`,
		qs: { expire: settings.expireMinutes },
		subject,
		maxWaitSeconds: settings.maxWaitSeconds,
		itemIndex,
	})) as IDataObject | null;
	const status = body && typeof body === 'object' && !Array.isArray(body) ? body.status : undefined;
	if (status === 'failed') {
		const said = typeof body?.errorMsg === 'string' && body.errorMsg.trim() ? `: "${body.errorMsg.trim()}"` : '';
		throw new NodeOperationError(this.getNode(), `GrowingIO's v3 exporter could not export ${subject}${said}`, {
			itemIndex,
			description:
				'GrowingIO says why above. "download error, retry later" passes on its own: run the node again later. Check Options → Link Lifetime (at most 10080 minutes = 7 days).',
		});
	}
	const links = body?.downloadLinks;
	if (status !== 'done' || !Array.isArray(links) || !links.length || !links.every((link) => typeof link === 'string' && link)) {
		throw unexpectedAnswer(
			this.getNode(),
			subject,
			`expected status "done" with a list of download links, got ${status === undefined ? 'no status' : `status "${String(status)}"`}`,
			{ itemIndex },
		);
	}
	return links as string[];
}
