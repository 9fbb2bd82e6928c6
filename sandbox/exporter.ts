/**
 * The asynchronous v3 exporter: the same GET is repeated; the first polls answer
 * `{"id","status":"doing"}`, then the finished payload comes. A finished job is forgotten, so
 * the next request starts a new export, and every export needs its polls.
 */
import { randomBytes } from 'crypto';

import { EXPORTER_DOING_POLLS, MAX_DOWNLOAD_ROWS, findChart, findFunnel, findRetention, findSegment, segmentUsersCsv } from './data';
import { getChart, getFunnel, getRetention } from './statistics';
import type { StorageObject, StorageSigner } from './storage';
import { MAX_EXPIRE_MINUTES } from './rawExport';
import { MINUTE_MS } from './time';
import { notFound, type ApiResult } from './types';

export type ExportedReportKind = 'charts' | 'funnels' | 'retentions';

interface Job {
	id: string;
	polls: number;
}

export interface ExporterSettings {
	now: () => number;
	storage: StorageSigner;
	baseUrl: () => string;
}

const DEFAULT_SEGMENT_EXPIRE_MINUTES = 5;

function jobId(): string {
	return randomBytes(12).toString('hex');
}

export class Exporter {
	private readonly jobs = new Map<string, Job>();
	/** Segment links already issued; GrowingIO does not extend them when asked again with a new expire. */
	private readonly segmentLinks = new Map<string, { link: string; expiresAt: number }>();

	constructor(private readonly settings: ExporterSettings) {}

	/** Counts one poll of `key` and says whether its export is done now. */
	private poll(key: string, doingPolls: number): { id: string; done: boolean } {
		const job = this.jobs.get(key) ?? { id: jobId(), polls: 0 };
		if (job.polls < doingPolls) {
			job.polls += 1;
			this.jobs.set(key, job);
			return { id: job.id, done: false };
		}
		this.jobs.delete(key);
		return { id: job.id, done: true };
	}

	report(kind: ExportedReportKind, id: string, query: URLSearchParams): ApiResult {
		const now = this.settings.now();
		// Invalid requests fail at once, as the synchronous API would.
		const result = kind === 'charts' ? getChart(id, query, now, 'v2') : kind === 'funnels' ? getFunnel(id, query, now) : getRetention(id, query, now);
		if (result.status !== 200) return result;
		const item = findChart(id) ?? findFunnel(id) ?? findRetention(id);
		const params = [...query.entries()].sort(([a], [b]) => a.localeCompare(b));
		const job = this.poll(`${kind}/${id}?${new URLSearchParams(params).toString()}`, item?.exporterPolls ?? EXPORTER_DOING_POLLS);
		return job.done ? result : { status: 200, json: { id: job.id, status: 'doing' } };
	}

	segmentUsers(id: string, query: URLSearchParams): ApiResult {
		const segment = findSegment(id);
		if (!segment) return notFound(`segmentation ${id} not found`);
		const failed = (jobIdText: string, errorMsg: string): ApiResult => ({
			status: 200,
			json: { id: jobIdText, status: 'failed', downloadLinks: [], errorMsg },
		});
		const expireText = query.get('expire');
		const expire = expireText === null ? DEFAULT_SEGMENT_EXPIRE_MINUTES : Number(expireText);
		if (expireText !== null && !/^\d+$/.test(expireText)) return failed(jobId(), 'invalid parameter: expire must be a whole number of minutes');
		if (expire < 1 || expire > MAX_EXPIRE_MINUTES) return failed(jobId(), 'expiry must be < 7 days');

		const job = this.poll(`segmentations/${id}`, segment.exporterPolls ?? EXPORTER_DOING_POLLS);
		if (!job.done) return { status: 200, json: { id: job.id, status: 'doing' } };
		if (segment.userNum > MAX_DOWNLOAD_ROWS) {
			return failed(job.id, `segment has ${segment.userNum} users, more than the ${MAX_DOWNLOAD_ROWS} a download allows`);
		}
		const now = this.settings.now();
		let issued = this.segmentLinks.get(id);
		if (!issued || issued.expiresAt <= now) {
			const expiresAt = now + expire * MINUTE_MS;
			const path = `/storage/segment-download-jobs/${job.id}_${id}.csv`;
			issued = { link: `${this.settings.baseUrl()}${this.settings.storage.presign(path, expiresAt)}`, expiresAt };
			this.segmentLinks.set(id, issued);
		}
		return { status: 200, json: { id: job.id, status: 'done', downloadLinks: [issued.link], errorMsg: null } };
	}

	/** The CSV behind a segment download link. */
	resolveSegmentFile(fileName: string): StorageObject | undefined {
		const match = /^[0-9a-f]{24}_([A-Za-z0-9]+)\.csv$/.exec(fileName);
		const segment = match ? findSegment(match[1]) : undefined;
		if (!segment || segment.userNum > MAX_DOWNLOAD_ROWS) return undefined;
		return { contentType: 'text/csv; charset=utf-8', body: Buffer.from(segmentUsersCsv(segment), 'utf8') };
	}
}
