/**
 * e2e of the raw-export example ("yesterday's custom events to CSV files") in real n8n.
 *
 * It runs against its own sandbox. Yesterday's daily export is ready 2 hours after midnight
 * Beijing time (sandbox/rawExport.ts), so between 00:00 and 03:00 Beijing time that
 * sandbox's clock runs as if it were 03:00 — same Beijing date, hence the same "yesterday" as the
 * node computes from the real clock. The main sandbox keeps the real clock because it also checks
 * key-pair login times to within 5 minutes. A second sandbox without a rate limit, on the same
 * clock and seeded data, serves the expected files.
 */
import { gunzipSync } from 'zlib';
import { DateTime } from 'luxon';

import { RAW_COLUMNS } from '../../sandbox/rawData';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { binaryContent } from './n8nProcess';

type Json = Record<string, unknown>;
type Check = (name: string, ok: boolean, detail?: string) => void;

export const RAW_EXPORT_EXAMPLE_ID = 'growingio-raw-export-example-1';
const NODE_NAME = 'Download Custom Events';
export const RAW_EXPORT_CREDENTIAL = { id: 'growingio-cred-3', name: 'GrowingIO raw export sandbox' };

const HOUR_MS = 3_600_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Real time, or 03:00 Beijing time of the same day while it is earlier than that. */
export function rawExportReadyClock(): () => number {
	const now = Date.now();
	const startOfBeijingDay = Math.floor((now + BEIJING_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - BEIJING_OFFSET_MS;
	const shift = Math.max(0, startOfBeijingDay + 3 * HOUR_MS - now);
	return () => Date.now() + shift;
}

export interface RawExportSandboxes {
	sandbox: Sandbox;
	oracle: Sandbox;
	close(): Promise<void>;
}

export async function startRawExportSandboxes(): Promise<RawExportSandboxes> {
	const now = rawExportReadyClock();
	const sandbox = await startSandbox({ port: 0, quiet: true, now });
	const oracle = await startSandbox({ port: 0, quiet: true, now, requestsPerSecond: 0 });
	return { sandbox, oracle, close: async () => void (await Promise.all([sandbox.close(), oracle.close()])) };
}

/** The import entry for the credential the example runs with in the e2e. */
export function rawExportCredential(sandbox: Sandbox) {
	return {
		...RAW_EXPORT_CREDENTIAL,
		type: 'growingIoApi',
		data: { authentication: 'apiToken', apiToken: sandbox.apiToken, projectUid: sandbox.project.uid, projectId: sandbox.project.ai, baseUrl: sandbox.url, sessionToken: '' },
	};
}

/** Points the example's GrowingIO nodes at the raw-export sandbox's credential. */
export function useRawExportCredential(workflow: { nodes: Array<{ credentials?: Record<string, { id: string; name: string }> }> } | undefined) {
	for (const node of workflow?.nodes ?? []) {
		if (node.credentials?.growingIoApi) node.credentials.growingIoApi = { ...RAW_EXPORT_CREDENTIAL };
	}
}

interface OutputItem {
	json: Json;
	binary?: Record<string, { id?: string; data?: string; fileName?: string; mimeType?: string }>;
	pairedItem?: unknown;
}

function output(snapshot: Json, nodeName: string): OutputItem[] {
	const data = snapshot.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: OutputItem[][] } }>> } };
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

async function expectedCsvFiles(oracle: Sandbox, date: string): Promise<string[]> {
	const response = await fetch(`${oracle.url}/v2/insights/day/custom_event/${oracle.project.ai}/${date}.json`, { headers: { Authorization: oracle.apiToken } });
	const body = (await response.json()) as { status: string; downloadLinks: string[] };
	if (body.status !== 'FINISHED') throw new Error(`expected files: the sandbox says ${body.status} for ${date}`);
	return await Promise.all(body.downloadLinks.map(async (link) => gunzipSync(Buffer.from(await (await fetch(link)).arrayBuffer())).toString('utf8')));
}

export async function checkRawExportExample(snapshot: Json | undefined, sandboxes: RawExportSandboxes, userFolder: string, check: Check) {
	const yesterday = DateTime.now().setZone('Asia/Shanghai').minus({ days: 1 }).toFormat('yyyyMMdd');
	const title = `raw export: yesterday's (${yesterday}, Beijing time) custom_event files as .csv binaries equal to GrowingIO's data`;
	if (!snapshot) return check(title, false, 'no snapshot');
	const expected = await expectedCsvFiles(sandboxes.oracle, yesterday);
	const items = output(snapshot, NODE_NAME);
	const problems: string[] = [];
	if (items.length !== expected.length) problems.push(`got ${items.length} items, expected one per part (${expected.length})`);
	let rows = 0;
	items.forEach((item, part) => {
		const fileName = `custom_event_${yesterday}_part-${String(part).padStart(5, '0')}.csv`;
		const binary = item.binary?.data;
		if (item.json.fileName !== fileName || item.json.exportDate !== yesterday || item.json.part !== part) problems.push(`item ${part}: json ${JSON.stringify(item.json)}`);
		const content = binaryContent(binary, userFolder);
		if (!content || binary?.fileName !== fileName || binary.mimeType !== 'text/csv') {
			problems.push(`item ${part}: binary ${JSON.stringify({ ...binary, data: binary?.data === undefined ? undefined : `(${binary.data.length} base64 characters)` })}`);
			return;
		}
		const text = content.toString('utf8');
		const lines = text.trimEnd().split('\n');
		if (lines[0] !== RAW_COLUMNS.custom_event.join(',')) problems.push(`${fileName}: header "${lines[0]}"`);
		if (text !== expected[part]) problems.push(`${fileName}: ${lines.length - 1} rows differ from the sandbox's ${expected[part]?.trimEnd().split('\n').length - 1}`);
		rows += lines.length - 1;
		if (JSON.stringify(item.pairedItem) !== JSON.stringify({ item: 0 })) problems.push(`item ${part}: pairedItem ${JSON.stringify(item.pairedItem)}`);
	});
	check(`${title} (${items.length} files, ${rows} rows)`, problems.length === 0, problems.join('\n') || undefined);

	const requests = sandboxes.sandbox.requests;
	const api = requests.filter((r) => r.countsTowardLimit);
	const storage = requests.filter((r) => r.path.startsWith('/storage/'));
	const ok =
		api.length >= 1 &&
		api.every((r) => r.hadAuthorization && r.status === 200) &&
		storage.length === expected.length &&
		storage.every((r) => !r.hadAuthorization && r.status === 200) &&
		sandboxes.sandbox.maxRequestsInAnyWindow(1000) <= 2;
	check(
		`raw export: ${api.length} GrowingIO request(s) with Authorization; ${storage.length} storage downloads without it`,
		ok,
		ok ? undefined : JSON.stringify(requests.map((r) => ({ path: r.path, status: r.status, hadAuthorization: r.hadAuthorization }))),
	);
}
