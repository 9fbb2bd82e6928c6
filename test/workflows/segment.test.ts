import { DateTime } from 'luxon';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { EXPORTER_DOING_POLLS, findSegment, SEGMENTS, segmentUserRow, segmentUsersCsv, type SegmentDefinition } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { searchSegments } from '../../nodes/GrowingIo/methods/listSearch';
import { credentialsFor, growingIoWorkflow, loadOptionsContext, runGrowingIoNode } from '../helpers/harness';
import { secretLeaks } from '../helpers/reliability';
import { AUTHENTICATIONS, fetchExpected, secretsOf, tokenCredentials } from '../helpers/sandboxClient';
import { withStaticServer } from '../helpers/staticServer';

/** Segment (分群) → Get Many and Get Users through n8n's engine, against the sandbox over HTTP. */

let sandbox: Sandbox;
let segments: IDataObject[];

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	segments = await fetchExpected<IDataObject[]>(sandbox, `/projects/${sandbox.project.uid}/segmentations.json`);
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

const run = (parameters: IDataObject, options: { input?: IDataObject[]; credentials?: ICredentialDataDecryptedObject; continueOnFail?: boolean } = {}) =>
	runGrowingIoNode(parameters, { ...options, credentials: options.credentials ?? tokenCredentials(sandbox) });

const getUsers = (segmentId: IDataObject, extra: IDataObject = {}) => ({ resource: 'segment', operation: 'getUsers', segmentId, output: 'users', returnAll: true, ...extra });
const getLink = (segmentId: string, options: IDataObject = {}) => ({ resource: 'segment', operation: 'getUsers', segmentId: byId(segmentId), output: 'downloadLink', options });

function segment(id: string): SegmentDefinition {
	const found = findSegment(id);
	if (!found) throw new Error(`no sample segment ${id}`);
	return found;
}

/** What users.csv holds for a sample segment, as items keyed by its header row, each with its segmentId. */
function expectedUsers(definition: SegmentDefinition, count = definition.userNum): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const row = segmentUserRow(definition, index);
		return { segmentId: definition.id, ...Object.fromEntries(definition.header.map((name, column) => [name, row[column]])) };
	});
}

const pairedItems = (items: Array<{ pairedItem?: unknown }>) => items.map((item) => (item.pairedItem as { item: number }).item);
const exporterPolls = (id: string) => sandbox.requests.filter((r) => r.path.endsWith(`/segmentations/${id}/users`));

describe('Segment → Get Many', () => {
	it('returns one item per segment as GrowingIO sends it, each paired with its input', async () => {
		const { json, items } = await run({ resource: 'segment', operation: 'getMany', returnAll: true });
		expect(segments).toHaveLength(SEGMENTS.length);
		expect(json).toEqual(segments);
		expect(new Set(json.map((s) => s.userType))).toEqual(new Set(['u', 'cs1']));
		expect(pairedItems(items)).toEqual(json.map(() => 0));
	});

	it('stops at Limit', async () => {
		const { json } = await run({ resource: 'segment', operation: 'getMany', returnAll: false, limit: 2 });
		expect(json).toEqual(segments.slice(0, 2));
	});
});

describe('Segment → Get Users', () => {
	it.each([
		['a login-user (cs1) segment', 'Sg3kD7fH'],
		['a visitor (u) segment', 'Sg8pL1mN'],
	])('returns every user of %s, keyed by the header row, values as the text in the file', async (_case, id) => {
		const definition = segment(id);
		const { json, error } = await run(getUsers(byId(id)));
		expect(error).toBeUndefined();
		expect(json).toHaveLength(definition.userNum);
		expect(json).toEqual(expectedUsers(definition));
		expect(Object.keys(json[0])).toEqual(['segmentId', ...definition.header]);
		// IDs stay text (an 8-digit login ID must not turn into a number); empty cells stay ''.
		expect(json.every((user) => Object.values(user).every((value) => typeof value === 'string'))).toBe(true);
		expect(json.some((user) => Object.values(user).includes(''))).toBe(true);
		expect(sandbox.requests.filter((r) => r.path.endsWith(`/segmentations/${id}/users.csv`))).toHaveLength(1);
	});

	it('stops at Limit', async () => {
		const definition = segment('Sg3kD7fH');
		const { json } = await run(getUsers(byId(definition.id), { returnAll: false, limit: 25 }));
		expect(json).toEqual(expectedUsers(definition, 25));
	});

	it('an empty segment gives no items and no error', async () => {
		expect(segment('Sg5vC9xZ').userNum).toBe(0);
		const { json, error, run: result } = await run(getUsers(byId('Sg5vC9xZ')));
		expect(error).toBeUndefined();
		expect(json).toEqual([]);
		expect(result.finished).toBe(true);
	});

	it('accepts the segment URL users copy from GrowingIO', async () => {
		for (const url of [
			`https://www.growingio.com/projects/${sandbox.project.uid}/segments/Sg3kD7fH`,
			`https://www.growingio.com/admin/projects/${sandbox.project.uid}/segmentation/Sg3kD7fH?from=list`,
		]) {
			const { json, error } = await run(getUsers(byUrl(url), { returnAll: false, limit: 3 }));
			expect(error).toBeUndefined();
			expect(json).toEqual(expectedUsers(segment('Sg3kD7fH'), 3));
		}
	});

	it('reads the segment of each input item from an expression, pairing each user with its item', async () => {
		const ids = ['Sg3kD7fH', 'Sg5vC9xZ', 'Sg8pL1mN'];
		const { json, items } = await run(getUsers(byId('={{ $json.segment }}'), { returnAll: false, limit: 4 }), {
			input: ids.map((id) => ({ segment: id })),
		});
		expect(json).toEqual([...expectedUsers(segment('Sg3kD7fH'), 4), ...expectedUsers(segment('Sg8pL1mN'), 4)]);
		expect(pairedItems(items)).toEqual([0, 0, 0, 0, 2, 2, 2, 2]);
	});

	it('retries a 500 request_timeout and returns every user', async () => {
		sandbox.injectFault({ kind: 'request_timeout', path: 'users\\.csv' });
		const { json, error } = await run(getUsers(byId('Sg3kD7fH')));
		expect(error).toBeUndefined();
		expect(json).toEqual(expectedUsers(segment('Sg3kD7fH')));
		expect(sandbox.requests.filter((r) => r.path.endsWith('users.csv')).map((r) => r.status)).toEqual([500, 200]);
	});

	it('a segment over the 200,000-user cap is an error that suggests the download link', async () => {
		expect(segment('Sg2bN6qW').userNum).toBeGreaterThan(200000);
		const { error } = await run(getUsers(byId('Sg2bN6qW')));
		expect(error?.message).toMatch(/users of segment \(分群\) "Sg2bN6qW" \(HTTP 400/);
		expect(error?.description).toMatch(/at most 200,000 users .*Try Output → "Download Link \(V3 Exporter\)"; if GrowingIO refuses that too, split the segment/);
	});

	it('an unknown segment ID is a clear 404', async () => {
		const { error } = await run(getUsers(byId('Zz99Zz99')));
		expect(error?.message).toMatch(/could not find the users of segment \(分群\) "Zz99Zz99" \(404/);
		expect(error?.description).toMatch(/copy it from the GrowingIO URL/);
	});
});

describe('Segment → Get Users → Download Link (V3 Exporter)', () => {
	it('polls the exporter while it says doing and returns a link to every user', async () => {
		const definition = segment('Sg3kD7fH');
		const { json, items, error } = await run(getLink(definition.id));
		expect(error).toBeUndefined();
		expect(json).toEqual([{ segmentId: definition.id, url: expect.any(String), downloadLinks: [json[0].url], expiresAt: expect.any(String), expiresInMinutes: 60 }]);
		expect(pairedItems(items)).toEqual([0]);

		const polls = exporterPolls(definition.id);
		expect(polls).toHaveLength((definition.exporterPolls ?? EXPORTER_DOING_POLLS) + 1);
		expect(polls.every((poll) => poll.query.expire === '60')).toBe(true);
		// Backoff between polls: never more than GrowingIO's 2 requests per second.
		expect(sandbox.maxRequestsInAnyWindow(1000)).toBeLessThanOrEqual(2);

		// The link is a storage URL that needs no credential and holds the whole list.
		const file = await fetch(String(json[0].url));
		expect(file.status).toBe(200);
		expect(await file.text()).toBe(segmentUsersCsv(definition));
	});

	it('sends Options → Link Lifetime as expire', async () => {
		const { json, error } = await run(getLink('Sg8pL1mN', { expireMinutes: 1440 }));
		expect(error).toBeUndefined();
		expect(json[0]).toMatchObject({ segmentId: 'Sg8pL1mN', expiresInMinutes: 1440 });
		expect(exporterPolls('Sg8pL1mN').every((poll) => poll.query.expire === '1440')).toBe(true);
	});

	it('reports the lifetime of the link GrowingIO issued, not the one asked for again', async () => {
		const first = await run(getLink('Sg5vC9xZ', { expireMinutes: 1440 }));
		expect(first.error).toBeUndefined();
		expect(first.json[0]).toMatchObject({ expiresInMinutes: 1440 });
		// Asked again with a shorter lifetime, GrowingIO hands back the same link, still valid for a day.
		const again = await run(getLink('Sg5vC9xZ', { expireMinutes: 5 }));
		expect(again.error).toBeUndefined();
		expect(again.json[0].url).toBe(first.json[0].url);
		expect(exporterPolls('Sg5vC9xZ').at(-1)?.query.expire).toBe('5');
		const expires = Number(new URL(String(again.json[0].url)).searchParams.get('expires'));
		expect(again.json[0]).toMatchObject({
			expiresInMinutes: 1440,
			expiresAt: DateTime.fromMillis(expires, { zone: 'Asia/Shanghai' }).startOf('second').toISO({ suppressMilliseconds: true }),
		});
	});

	it('refuses a Link Lifetime over 7 days before any request', async () => {
		const { error } = await run(getLink('Sg8pL1mN', { expireMinutes: 20000 }));
		expect(error?.message).toMatch(/Options → Link Lifetime \(Minutes\) must be a number from 1 to 10080/);
		expect(exporterPolls('Sg8pL1mN')).toHaveLength(0);
	});

	it('stops after Options → Max Wait while GrowingIO is still preparing', async () => {
		const { error } = await run(getLink('Sg2bN6qW', { maxWaitSeconds: 1 }));
		expect(error?.message).toMatch(/still preparing the users of segment \(分群\) "Sg2bN6qW" after 1 s/);
		expect(error?.description).toMatch(/Max Wait/);
	});

	it('a failed export is a clear error quoting GrowingIO\'s errorMsg', async () => {
		// Ask the sandbox itself until the export ends, for the errorMsg to expect.
		const path = `/v3/exporter/projects/${sandbox.project.uid}/segmentations/Sg2bN6qW/users?expire=60`;
		let answer = await fetchExpected<IDataObject>(sandbox, path);
		while (answer.status === 'doing') answer = await fetchExpected<IDataObject>(sandbox, path);
		expect(answer.status).toBe('failed');

		const { error } = await run(getLink('Sg2bN6qW'));
		expect(error?.message).toBe(`GrowingIO's v3 exporter could not export the users of segment (分群) "Sg2bN6qW": "${String(answer.errorMsg)}"`);
		expect(error?.description).toMatch(/run the node again later/);
	});
});

describe('bad segment input gets an error that names the parameter', () => {
	it.each([
		['an expression that gives an empty ID', byId('={{ "" }}'), /Segment is empty/, /Choose a segment \(分群\) from the list, paste its URL, or enter its ID/],
		['text that is no ID', byId('not an id!'), /Segment "not an id!" is not a GrowingIO segment \(分群\) ID or URL/, /Enter the short ID .* or paste the segment URL/],
		['a dashboard URL', byUrl('https://www.growingio.com/projects/nxog09md/dashboard/YoX28w7R'), /not a link to a segment .*it links to a dashboard/, /Open the segment in GrowingIO and copy the URL/],
		['a URL of another project', byUrl('https://www.growingio.com/projects/zzzz9999/segments/Sg3kD7fH'), /belongs to project "zzzz9999"/, /Use a credential for that project/],
	])('%s', async (_case, segmentId, message, fix) => {
		const { error } = await run(getUsers(segmentId));
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(sandbox.requests.filter((r) => r.path.includes('/segmentations/'))).toHaveLength(0);
	});

	it('continueOnFail turns the failing item into an error item and keeps the others', async () => {
		const { json, items } = await run(getUsers(byId('={{ $json.segment }}'), { returnAll: false, limit: 2 }), {
			input: [{ segment: 'Sg3kD7fH' }, { segment: 'Sg2bN6qW' }, { segment: 'Sg8pL1mN' }],
			continueOnFail: true,
		});
		expect(json).toEqual([
			...expectedUsers(segment('Sg3kD7fH'), 2),
			{ error: expect.stringMatching(/HTTP 400/), description: expect.stringMatching(/Download Link \(V3 Exporter\)/) },
			...expectedUsers(segment('Sg8pL1mN'), 2),
		]);
		expect(pairedItems(items)).toEqual([0, 0, 1, 2, 2]);
	});

	it.each(AUTHENTICATIONS)('never puts a secret into outputs or errors ($mode, with and without continueOnFail)', async ({ credentials, logins }) => {
		const codesBefore = sandbox.issuedCodes().length;
		for (const continueOnFail of [true, false]) {
			const result = await run(getUsers(byId('={{ $json.segment }}')), {
				input: [{ segment: 'Zz99Zz99' }, { segment: 'Sg2bN6qW' }],
				continueOnFail,
				credentials: credentials(sandbox),
			});
			expect(continueOnFail ? result.json[0].error : result.error?.message).toMatch(/could not find the users of segment \(分群\) "Zz99Zz99"/);
			expect(secretLeaks(result, secretsOf(sandbox))).toEqual([]);
		}
		expect(sandbox.issuedCodes().length - codesBefore).toBe(logins);
	});
});

describe('users.csv that is not a user list', () => {
	it('a malformed file is an error that names the line', async () => {
		await withStaticServer('登录用户ID\t会员等级\n10000001\t金卡会员\n10000002\t银卡会员\t多余\n', async (baseUrl) => {
			const { error } = await run(getUsers(byId('Sg3kD7fH')), { credentials: tokenCredentials(sandbox, { baseUrl }) });
			expect(error?.message).toMatch(/malformed CSV file for the users of segment \(分群\) "Sg3kD7fH": line 3 has 3 fields, but the header row names 2 columns/);
		});
	});

	it('a web page answered with 200 is an error, not items', async () => {
		const page = '<!DOCTYPE html><html><head><title>登录</title></head><body></body></html>';
		await withStaticServer(
			page,
			async (baseUrl) => {
				const { error, json } = await run(getUsers(byId('Sg3kD7fH')), { credentials: tokenCredentials(sandbox, { baseUrl }) });
				expect(json).toEqual([]);
				expect(error?.message).toMatch(/web page instead of the CSV file/);
				expect(error?.description).toMatch(/Base URL/);
			},
			'text/html',
		);
	});
});

describe('Segment picker (From List)', () => {
	const context = () =>
		loadOptionsContext(growingIoWorkflow({ resource: 'segment', operation: 'getUsers' }), credentialsFor(tokenCredentials(sandbox)));

	it('lists every segment with a link to it in GrowingIO', async () => {
		const { results } = await searchSegments.call(context());
		expect(results.map((r) => r.value)).toEqual(segments.map((s) => s.id));
		expect(results.map((r) => r.name)).toEqual(['高价值付费用户 · 320 login users', '近7日活跃访客 · 1,500 visitors', '流失预警用户 · 0 login users', '全部注册用户 · 250,000 login users']);
		expect(segments.map((s) => s.name)).toEqual(SEGMENTS.map((s) => s.name));
		expect(results[0]).toEqual({
			name: `${String(segments[0].name)} · ${String(segments[0].userNum)} login users`,
			value: segments[0].id,
			url: `${sandbox.url}/projects/${sandbox.project.uid}/segments/${String(segments[0].id)}`,
		});
	});

	it('filters by (Chinese) name or ID', async () => {
		const { results } = await searchSegments.call(context(), '用户');
		expect(results.map((r) => r.value)).toEqual(segments.filter((s) => String(s.name).includes('用户')).map((s) => s.id));
		expect((await searchSegments.call(context(), 'sg8pl')).results.map((r) => r.value)).toEqual(['Sg8pL1mN']);
		// The search matches what the label shows, size and user type included.
		expect((await searchSegments.call(context(), 'visitors')).results.map((r) => r.value)).toEqual(['Sg8pL1mN']);
	});
});
