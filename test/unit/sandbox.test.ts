import { gunzipSync } from 'zlib';

import {
	CHARTS,
	DASHBOARDS,
	buildChartReport,
	chartForLayout,
	findChart,
	findSegment,
	type ChartLayout,
} from '../../sandbox/data';
import { RAW_COLUMNS, RAW_DATA_TYPES } from '../../sandbox/rawData';
import { RAW_EXPORT_CASES, exportDateDaysAgo } from '../../sandbox/rawExport';
import { DEFAULT_API_TOKEN, DEFAULT_PROJECT, signAuthToken, startSandbox, type Sandbox } from '../../sandbox/server';

/**
 * The sandbox over real HTTP: auth modes, the rate limit, every fault, report shapes, the v3
 * exporter and raw export through to gzip CSV downloads.
 */

const { uid, ai, publicKey, privateKey } = DEFAULT_PROJECT;
// 2024-05-21 10:00 Beijing time.
const FAKE_NOW = Date.UTC(2024, 4, 21, 2, 0);

let sandbox: Sandbox;
let clock = FAKE_NOW;

beforeAll(async () => {
	// No rate limit here, so tests can fire freely; the limit has its own sandbox below.
	sandbox = await startSandbox({ quiet: true, requestsPerSecond: 0, now: () => clock });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	clock = FAKE_NOW;
	sandbox.clearFaults();
	sandbox.resetRequests();
});

function get(path: string, headers: Record<string, string> = { Authorization: DEFAULT_API_TOKEN }, base = sandbox.url) {
	return fetch(`${base}${path}`, { headers });
}

async function getJson<T = any>(path: string, headers?: Record<string, string>): Promise<T> {
	const response = await get(path, headers);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
	return (await response.json()) as T;
}

function login(fields: Record<string, string | number>, clientId = publicKey, how: 'form' | 'text' | 'query' = 'form') {
	const body = Object.entries(fields)
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
	const headers: Record<string, string> = { 'X-Client-Id': clientId };
	if (how === 'query') return fetch(`${sandbox.url}/auth/token?${body}`, { method: 'POST', headers });
	headers['Content-Type'] = how === 'form' ? 'application/x-www-form-urlencoded' : 'text/plain';
	return fetch(`${sandbox.url}/auth/token`, { method: 'POST', headers, body });
}

function signedFields(tm = clock, key = privateKey) {
	return { project: uid, ai, tm, auth: signAuthToken(key, uid, ai, tm) };
}

/** Splits one CSV line in GrowingIO's dialect (quote ", escape \). */
function parseCsvLine(line: string): string[] {
	const fields: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const char = line[i];
		if (quoted) {
			if (char === '\\') field += line[++i];
			else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			fields.push(field);
			field = '';
		} else field += char;
	}
	fields.push(field);
	return fields;
}

describe('signAuthToken', () => {
	it('matches HMAC-SHA256 computed by openssl', () => {
		// printf 'POST\n/auth/token\nproject=nxog09md&ai=a5006f6a0d3a6aab&tm=1700000000000' | openssl dgst -sha256 -hmac 2b17081956d463ef99e3d004e302485e
		expect(signAuthToken(privateKey, uid, ai, 1700000000000)).toBe('a5372ce73749c15126af1c544f68e7b9e882e989d736cfee3b370d0352bc9172');
	});
});

describe('authentication', () => {
	const dashboards = `/projects/${uid}/dashboards.json`;

	it('accepts the bare UI token and refuses missing, wrong and prefixed tokens with GrowingIO\'s 401', async () => {
		expect((await get(dashboards)).status).toBe(200);
		const refused: Array<Record<string, string>> = [{}, { Authorization: 'wrong' }, { Authorization: `Token ${DEFAULT_API_TOKEN}` }, { Authorization: `Bearer ${DEFAULT_API_TOKEN}` }];
		for (const headers of refused) {
			const response = await get(dashboards, headers);
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ message: 'Unauthorized', errors: [] });
		}
		expect(sandbox.requests.map((r) => r.hadAuthorization)).toEqual([true, false, true, true, true]);
	});

	it.each(['form', 'text', 'query'] as const)('logs in with a key pair sent as %s and the code works with X-Client-Id', async (how) => {
		const response = await login(signedFields(), publicKey, how);
		expect(response.status).toBe(200);
		const body = (await response.json()) as { status: string; code: string };
		expect(body.status).toBe('success');
		expect(body.code).toMatch(/^[A-Za-z0-9]{64}$/);
		expect(sandbox.issuedCodes().at(-1)).toBe(body.code);
		expect((await get(dashboards, { Authorization: body.code, 'X-Client-Id': publicKey })).status).toBe(200);
		expect((await get(dashboards, { Authorization: body.code })).status).toBe(401);
		expect(sandbox.requests[0]).toMatchObject({ path: '/auth/token', countsTowardLimit: false, status: 200 });
	});

	it('invalidates the previous code when a new one is issued', async () => {
		const first = ((await (await login(signedFields())).json()) as { code: string }).code;
		const second = ((await (await login(signedFields())).json()) as { code: string }).code;
		expect((await get(dashboards, { Authorization: first, 'X-Client-Id': publicKey })).status).toBe(401);
		expect((await get(dashboards, { Authorization: second, 'X-Client-Id': publicKey })).status).toBe(200);
	});

	it.each([
		['a wrong private key', signedFields(FAKE_NOW, 'not-the-key'), publicKey, 'invalid_signature'],
		['a wrong public key', signedFields(), 'ffffffffffffffffffffffffffffffff', 'invalid_client'],
		['another project', { ...signedFields(), project: 'zzzz9999' }, publicKey, 'invalid_client'],
		['a stale tm', signedFields(FAKE_NOW - 6 * 60_000), publicKey, 'stale_timestamp'],
	])('refuses %s with 401 %s and never echoes the private key', async (_case, fields, clientId, code) => {
		const response = await login(fields, clientId);
		expect(response.status).toBe(401);
		const text = await response.text();
		expect(JSON.parse(text)).toMatchObject({ message: 'Unauthorized', errors: [{ code }] });
		expect(text).not.toContain(privateKey);
	});

	it('expires codes after codeTtlMs on the sandbox clock', async () => {
		const own = await startSandbox({ quiet: true, requestsPerSecond: 0, now: () => clock, codeTtlMs: 60_000 });
		try {
			const tm = clock;
			const response = await fetch(`${own.url}/auth/token`, {
				method: 'POST',
				headers: { 'X-Client-Id': publicKey },
				body: `project=${uid}&ai=${ai}&tm=${tm}&auth=${signAuthToken(privateKey, uid, ai, tm)}`,
			});
			const { code } = (await response.json()) as { code: string };
			const headers = { Authorization: code, 'X-Client-Id': publicKey };
			expect((await get(dashboards, headers, own.url)).status).toBe(200);
			clock += 60_000;
			expect((await get(dashboards, headers, own.url)).status).toBe(401);
		} finally {
			await own.close();
		}
	});
});

describe('rate limit', () => {
	it('answers 429 to the third request within a second and lets spaced requests through', async () => {
		const limited = await startSandbox({ quiet: true });
		try {
			const path = `/projects/${uid}/dashboards.json`;
			const quick = await Promise.all([1, 2, 3].map(() => get(path, undefined, limited.url)));
			expect(quick.map((r) => r.status).sort()).toEqual([200, 200, 429]);
			const refused = quick.find((r) => r.status === 429)!;
			expect(refused.headers.get('retry-after')).toBe('1');
			expect(await refused.json()).toEqual({
				message: 'Too Many Requests',
				errors: [{ code: 'rate_limited', message: 'Request rate exceeds 2 requests per second' }],
			});
			// The 429 counted too, so wait a full second after the last arrival.
			await new Promise((resolve) => setTimeout(resolve, 1010));
			expect((await get(path, undefined, limited.url)).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 510));
			expect((await get(path, undefined, limited.url)).status).toBe(200);
			expect(limited.maxRequestsInAnyWindow()).toBe(3);
			expect(limited.requests.every((r) => r.countsTowardLimit)).toBe(true);
			const times = limited.requests.map((r) => r.arrivedAt);
			expect(times).toEqual([...times].sort((a, b) => a - b));
		} finally {
			await limited.close();
		}
	});
});

describe('faults', () => {
	const path = `/projects/${uid}/dashboards.json`;

	it.each([
		['request_timeout', 500, { message: 'Request timeout', errors: [{ code: 'request_timeout', message: 'Request timeout in 5000 milliseconds' }] }],
		['expired_token', 401, { message: 'Unauthorized', errors: [] }],
		['rate_limit', 429, { message: 'Too Many Requests', errors: [{ code: 'rate_limited', message: 'Request rate exceeds 2 requests per second' }] }],
		['bad_request', 400, { message: 'Invalid request parameters', errors: [{ code: 'bad_request', message: 'Invalid request parameters' }] }],
		['not_found', 404, { message: 'Not Found', errors: [{ code: 'not_found', message: 'resource not found' }] }],
	] as const)('%s answers %i with GrowingIO\'s body once, then the API is normal again', async (kind, status, body) => {
		sandbox.injectFault({ kind });
		const faulty = await get(path);
		expect(faulty.status).toBe(status);
		expect(await faulty.json()).toEqual(body);
		expect((await get(path)).status).toBe(200);
		expect(sandbox.requests.map((r) => r.fault)).toEqual([kind, undefined]);
		expect(sandbox.requests[0].status).toBe(status);
	});

	it('connection_reset drops the connection without a response', async () => {
		sandbox.injectFault({ kind: 'connection_reset' });
		await expect(get(path)).rejects.toThrow();
		expect(sandbox.requests[0]).toMatchObject({ fault: 'connection_reset', status: 0, countsTowardLimit: true });
	});

	it('slow waits delayMs, then answers normally', async () => {
		sandbox.injectFault({ kind: 'slow', delayMs: 300 });
		const started = Date.now();
		const response = await get(path);
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(await response.json()).toHaveLength(DASHBOARDS.length);
	});

	it('malformed_json sends a 200 JSON response that does not parse', async () => {
		sandbox.injectFault({ kind: 'malformed_json' });
		const response = await get(path);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		await expect(response.json()).rejects.toThrow(/JSON/);
	});

	it('html_error sends an nginx 502 page', async () => {
		sandbox.injectFault({ kind: 'html_error' });
		const response = await get(path);
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toContain('502 Bad Gateway');
	});

	it('expired_token also revokes the key-pair code, while UI tokens keep working', async () => {
		const { code } = (await (await login(signedFields())).json()) as { code: string };
		const headers = { Authorization: code, 'X-Client-Id': publicKey };
		sandbox.injectFault({ kind: 'expired_token' });
		expect((await get(path)).status).toBe(401);
		expect((await get(path, headers)).status).toBe(401);
		expect((await get(path)).status).toBe(200);
	});

	it('truncated_download declares the full length, sends about half and cuts the connection', async () => {
		clock = FAKE_NOW;
		const exportPath = `/v2/insights/day/page/${ai}/${exportDateDaysAgo(clock, 1)}.json`;
		const { downloadLinks } = await getJson<{ downloadLinks: string[] }>(exportPath);
		sandbox.injectFault({ kind: 'truncated_download', times: 1 });
		const response = await fetch(downloadLinks[0]);
		expect(response.status).toBe(200);
		expect(Number(response.headers.get('content-length'))).toBeGreaterThan(1000);
		await expect(response.arrayBuffer()).rejects.toThrow();
		const complete = await fetch(downloadLinks[0]);
		expect(Buffer.from(await complete.arrayBuffer()).length).toBe(Number(complete.headers.get('content-length')));
		expect(sandbox.requests.filter((r) => r.fault === 'truncated_download')).toHaveLength(1);
	});

	it('matches path filters and lasts the whole run with times Infinity', async () => {
		sandbox.injectFault({ kind: 'request_timeout', times: Infinity, path: 'segmentations' });
		expect((await get(path)).status).toBe(200);
		expect((await get(`/projects/${uid}/segmentations.json`)).status).toBe(500);
		expect((await get(`/projects/${uid}/segmentations.json`)).status).toBe(500);
		sandbox.clearFaults();
		expect((await get(`/projects/${uid}/segmentations.json`)).status).toBe(200);
	});

	it('is controllable over HTTP without being recorded', async () => {
		const added = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'not_found', times: 'Infinity' }) });
		expect(added.status).toBe(201);
		expect(await (await fetch(`${sandbox.url}/__sandbox/faults`)).json()).toEqual([{ kind: 'not_found', times: 'Infinity' }]);
		expect((await get(path)).status).toBe(404);
		const recorded = (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()) as Array<{ path: string; fault: string }>;
		expect(recorded).toEqual([expect.objectContaining({ path, fault: 'not_found' })]);
		expect((await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
		expect((await fetch(`${sandbox.url}/__sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
		expect(sandbox.requests).toHaveLength(0);
		expect((await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: '{"kind":"explode"}' })).status).toBe(400);
	});
});

describe('dashboards, segments and rules', () => {
	it('lists dashboards newest first, with GrowingIO\'s fields', async () => {
		const list = await getJson<Array<Record<string, string>>>(`/projects/${uid}/dashboards.json`);
		expect(list.length).toBeGreaterThanOrEqual(4);
		expect(Object.keys(list[0])).toEqual(['id', 'name', 'type', 'createdAt', 'updatedAt', 'scope', 'updater', 'creator']);
		const updated = list.map((d) => d.updatedAt);
		expect(updated).toEqual([...updated].sort().reverse());
		expect(new Set(list.map((d) => d.type))).toEqual(new Set(['normal', 'realtimeV2']));
		expect(new Set(list.map((d) => d.scope))).toEqual(new Set(['global', 'project', 'user']));
	});

	it('lists a dashboard\'s charts, funnels and retentions (and an empty dashboard)', async () => {
		const core = await getJson(`/projects/${uid}/dashboards/YoX28w7R.json`);
		expect(core.name).toBe('每日核心指标');
		expect(core.charts.length).toBeGreaterThanOrEqual(12);
		expect(new Set(core.charts.map((c: { resource_type: string }) => c.resource_type))).toEqual(new Set(['chart', 'funnel', 'retention']));
		expect(Object.keys(core.charts[0])).toEqual(['id', 'name', 'createor', 'createdAt', 'resource_type']);
		expect((await getJson(`/projects/${uid}/dashboards/Em0pTy4B.json`)).charts).toEqual([]);
	});

	it('answers 404 for another project, an unknown id and an unknown path, 405 for a wrong method', async () => {
		const wrongProject = await get('/projects/zzzz9999/dashboards.json');
		expect(wrongProject.status).toBe(404);
		expect(await wrongProject.json()).toEqual({ message: 'Not Found', errors: [{ code: 'not_found', message: 'project zzzz9999 not found' }] });
		expect((await get(`/projects/${uid}/dashboards/Nope1234.json`)).status).toBe(404);
		expect((await get(`/v2/projects/${uid}/charts/Fn4uK8pQ.json`)).status).toBe(404);
		expect((await get('/api/whatever')).status).toBe(404);
		const post = await fetch(`${sandbox.url}/projects/${uid}/dashboards.json`, { method: 'POST', headers: { Authorization: DEFAULT_API_TOKEN } });
		expect(post.status).toBe(405);
	});

	it('serves segments, TAB-separated users.csv with a Chinese header, and comma-separated rules.csv', async () => {
		const segments = await getJson<Array<{ id: string; userType: string; userNum: number }>>(`/projects/${uid}/segmentations.json`);
		expect(new Set(segments.map((s) => s.userType))).toEqual(new Set(['u', 'cs1']));
		const users = await get(`/projects/${uid}/segmentations/Sg3kD7fH/users.csv`);
		expect(users.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = (await users.text()).trimEnd().split('\n');
		expect(lines[0]).toBe('登录用户ID\t会员等级\t注册城市');
		expect(lines).toHaveLength(findSegment('Sg3kD7fH')!.userNum + 1);
		expect(lines.every((line) => line.split('\t').length === 3)).toBe(true);
		const tooBig = await get(`/projects/${uid}/segmentations/Sg2bN6qW/users.csv`);
		expect(tooBig.status).toBe(400);
		expect(((await tooBig.json()) as { errors: Array<{ code: string }> }).errors[0].code).toBe('bad_request');
		const rules = (await (await get(`/projects/${uid}/rules.csv`)).text()).split('\n');
		expect(rules.slice(0, 2)).toEqual(['ruleId,eventName,eventType', 'f2503720,元素_注册按钮,clck']);
	});
});

describe('reports', () => {
	// 2024-05-13 00:00 to 2024-05-19 23:59:59.999 Beijing time.
	const startTime = Date.UTC(2024, 4, 12, 16);
	const endTime = Date.UTC(2024, 4, 19, 16) - 1;
	const layouts: ChartLayout[] = ['line', 'lineWithDimension', 'horizontalBar', 'verticalBar', 'table', 'bigNumber', 'bubble'];

	it.each(layouts)('%s: every row is as long as meta, on v2 with 目标用户 and on v1 without', async (layout) => {
		const chart = chartForLayout(layout);
		const v2 = await getJson(`/v2/projects/${uid}/charts/${chart.id}.json?startTime=${startTime}&endTime=${endTime}&interval=86400000`);
		expect(v2).toEqual(buildChartReport(chart, { startTime, endTime, interval: 86_400_000 }));
		expect(v2.meta[0]).toEqual({ name: '目标用户', dimension: true });
		expect(v2.data.length).toBeGreaterThan(0);
		for (const row of v2.data) expect(row).toHaveLength(v2.meta.length);
		const v1 = await getJson(`/projects/${uid}/charts/${chart.id}.json?startTime=${startTime}&endTime=${endTime}`);
		expect(v1.meta).toEqual(v2.meta.slice(1));
		expect(v1.data).toEqual(v2.data.map((row: unknown[]) => row.slice(1)));
		if (layout === 'bigNumber') expect(v2.aggregator.values).toHaveLength(2);
		if (layout === 'lineWithDimension') expect(typeof v2.data[0][1]).toBe('number');
	});

	it('buckets days at Beijing midnight, one row per day for a line chart', async () => {
		const chart = chartForLayout('line');
		const report = await getJson(`/v2/projects/${uid}/charts/${chart.id}.json?startTime=${startTime}&endTime=${endTime}`);
		expect(report.data.map((row: unknown[]) => row[1])).toEqual(Array.from({ length: 7 }, (_, i) => startTime + i * 86_400_000));
		const hourly = await getJson(`/v2/projects/${uid}/charts/${chart.id}.json?startTime=${startTime}&endTime=${startTime + 86_400_000 - 1}&interval=3600000`);
		expect(hourly.data).toHaveLength(24);
	});

	it('uses the saved range (7 days ending yesterday) when no times are sent', async () => {
		const report = await getJson(`/v2/projects/${uid}/charts/Lw3kP9sD.json`);
		expect(report.startTime).toBe(Date.UTC(2024, 4, 13, 16));
		expect(report.endTime).toBe(Date.UTC(2024, 4, 20, 16) - 1);
		expect(report.interval).toBe(86_400_000);
	});

	it('returns numeric strings only from the dedicated chart', async () => {
		const quirky = CHARTS.filter((c) => c.numericStrings);
		expect(quirky.map((c) => c.id)).toEqual(['Ns7dQ2mX']);
		const report = await getJson(`/v2/projects/${uid}/charts/Ns7dQ2mX.json`);
		expect(report.data[0].slice(2).every((value: unknown) => typeof value === 'string' && !Number.isNaN(Number(value)))).toBe(true);
	});

	it.each([
		['startTime=1', 'startTime and endTime must be sent together'],
		['startTime=abc&endTime=1', 'startTime must be a Unix timestamp in milliseconds, got "abc"'],
		['startTime=2&endTime=1', 'startTime must not be later than endTime'],
		['interval=1000', 'interval must be'],
		[`startTime=0&endTime=${FAKE_NOW}&interval=3600000`, 'more than the 200000 rows'],
	])('refuses %s with 400 bad_request', async (query, message) => {
		const response = await get(`/v2/projects/${uid}/charts/Lw3kP9sD.json?${query}`);
		expect(response.status).toBe(400);
		const body = (await response.json()) as { message: string; errors: unknown[] };
		expect(body.message).toContain(message);
		expect(body.errors).toEqual([{ code: 'bad_request', message: body.message }]);
	});

	it('serves funnels with total and per-step columns', async () => {
		const funnel = await getJson(`/v2/projects/${uid}/funnels/Fn9rB2vX.json?startTime=${startTime}&endTime=${endTime}&conversionWindow=3`);
		expect(Object.keys(funnel)).toEqual(['id', 'name', 'conversionWindow', 'startTime', 'endTime', 'interval', 'meta', 'data']);
		expect(funnel.conversionWindow).toBe(3);
		expect(funnel.meta.slice(0, 5).map((m: { name: string }) => m.name)).toEqual(['目标用户', '时间', '总转化率', '访问首页人数', '访问首页转化率']);
		expect(funnel.data).toHaveLength(7);
		for (const row of funnel.data) expect(row).toHaveLength(funnel.meta.length);
		expect((await get(`/v2/projects/${uid}/funnels/Fn9rB2vX.json?conversionWindow=1.5`)).status).toBe(400);
	});

	it('serves retentions with 对比值, 用户行为 and N日后 columns', async () => {
		const retention = await getJson(`/v2/projects/${uid}/retentions/Rt2xM6nB.json?startTime=${startTime}&endTime=${endTime}&range=day`);
		expect(Object.keys(retention)).toEqual(['id', 'name', 'range', 'startTime', 'endTime', 'interval', 'meta', 'data']);
		const names = retention.meta.map((m: { name: string }) => m.name);
		expect(names.slice(0, 9)).toEqual(['目标用户', '对比值', '用户行为', '时间', '留存人数', '当日', '当日留存率', '次日', '次日留存率']);
		expect(names).toContain('7日后留存率');
		for (const row of retention.data) expect(row).toHaveLength(names.length);
		expect((await get(`/v2/projects/${uid}/retentions/Rt2xM6nB.json?range=year`)).status).toBe(400);
	});
});

describe('v3 exporter', () => {
	it('answers "doing" twice, then the same payload as v2', async () => {
		const query = '?startTime=1715529600000&endTime=1716134399999&interval=86400000';
		const first = await getJson(`/v3/exporter/projects/${uid}/charts/Lw3kP9sD${query}`);
		expect(first).toEqual({ id: expect.any(String), status: 'doing' });
		expect(await getJson(`/v3/exporter/projects/${uid}/charts/Lw3kP9sD${query}`)).toEqual(first);
		const done = await getJson(`/v3/exporter/projects/${uid}/charts/Lw3kP9sD${query}`);
		expect(done).toEqual(await getJson(`/v2/projects/${uid}/charts/Lw3kP9sD.json${query}`));
		expect((await getJson(`/v3/exporter/projects/${uid}/charts/Lw3kP9sD${query}`)).status).toBe('doing');
	});

	it('exports segment users to a presigned storage link that refuses Authorization', async () => {
		const path = `/v3/exporter/projects/${uid}/segmentations/Sg8pL1mN/users?expire=10`;
		expect((await getJson(path)).status).toBe('doing');
		expect((await getJson(path)).status).toBe('doing');
		const done = await getJson(path);
		expect(done).toEqual({ id: expect.any(String), status: 'done', downloadLinks: [expect.stringContaining('/storage/')], errorMsg: null });
		expect((await fetch(done.downloadLinks[0], { headers: { Authorization: DEFAULT_API_TOKEN } })).status).toBe(403);
		const csv = await (await fetch(done.downloadLinks[0])).text();
		expect(csv.split('\n')[0]).toBe('访问用户ID\t访问用户变量1');
		expect((await getJson(`/v3/exporter/projects/${uid}/segmentations/Sg8pL1mN/users?expire=20000`)).status).toBe('failed');
	});
});

describe('raw export', () => {
	const yesterday = () => exportDateDaysAgo(clock, 1);

	it('stays RUNNING for exportRunningMs after the first request, then FINISHES', async () => {
		const own = await startSandbox({ quiet: true, requestsPerSecond: 0, now: () => clock, exportRunningMs: 60_000 });
		try {
			const path = `/v2/insights/day/visit/${ai}/${yesterday()}0930.json?expire=60`;
			const running = (await (await get(path, undefined, own.url)).json()) as Record<string, unknown>;
			expect(running).toMatchObject({ status: 'RUNNING', exportType: 'day', dataType: 'visit', exportDate: yesterday(), errorMsg: null });
			clock += 59_999;
			expect(((await (await get(path, undefined, own.url)).json()) as { status: string }).status).toBe('RUNNING');
			clock += 1;
			const finished = (await (await get(path, undefined, own.url)).json()) as Record<string, unknown>;
			expect(finished).toEqual({
				status: 'FINISHED',
				downloadLinks: [expect.stringContaining('/part-00000.gz?expires='), expect.stringContaining('/part-00001.gz?expires=')],
				exportType: 'day',
				dataType: 'visit',
				exportDate: yesterday(),
				exportVersion: 'v2',
				requestTime: '2024-05-21 10:01',
				errorMsg: null,
			});
		} finally {
			await own.close();
		}
	});

	it('answers NOT_EXISTS outside the 15-day window, in the future and before the files are produced', async () => {
		for (const date of [exportDateDaysAgo(clock, 16), exportDateDaysAgo(clock, -1), exportDateDaysAgo(clock, 0)]) {
			const body = await getJson(`/v2/insights/day/page/${ai}/${date}.json`);
			expect(body.status).toBe('NOT_EXISTS');
			expect(body.errorMsg).toEqual(expect.any(String));
		}
		// 09:00-10:00 today is not ready at 10:00; 08:00-09:00 is (40 minutes later).
		expect((await getJson(`/v2/insights/hour/page/${ai}/${exportDateDaysAgo(clock, 0)}09.json`)).status).toBe('NOT_EXISTS');
		const hour = await getJson(`/v2/insights/hour/page/${ai}/${exportDateDaysAgo(clock, 0)}0815.json`);
		expect(hour).toMatchObject({ status: 'FINISHED', exportDate: `${exportDateDaysAgo(clock, 0)}08` });
		expect(hour.downloadLinks).toHaveLength(1);
	});

	it('reports ERROR for the configured data type and day', async () => {
		const date = exportDateDaysAgo(clock, RAW_EXPORT_CASES.errorDaysAgo);
		const body = await getJson(`/v2/insights/day/${RAW_EXPORT_CASES.errorDataType}/${ai}/${date}.json`);
		expect(body.status).toBe('ERROR');
		expect(body.errorMsg).toContain('failed');
		expect((await getJson(`/v2/insights/day/visit/${ai}/${date}.json`)).status).toBe('FINISHED');
	});

	it('validates export type, data type, date, ai and expire, naming the field it refuses', async () => {
		const refusals: Array<[string, RegExp]> = [
			[`/v2/insights/week/visit/${ai}/${yesterday()}.json`, /^export_type must be hour or day, got week/],
			[`/v2/insights/day/clicks/${ai}/${yesterday()}.json`, /^data_type must be one of visit, .*, got clicks/],
			[`/v2/insights/day/visit/${ai}/20240230.json`, /^export_date 20240230 is not a valid date/],
			[`/v2/insights/hour/visit/${ai}/${yesterday()}.json`, /^export_date must be yyyyMMddHHmm .*yyyyMMddHH at least for hour exports/],
			[`/v2/insights/day/visit/${ai}/${yesterday()}.json?expire=0`, /^expire must be a whole number of minutes from 1 to 10080/],
			[`/v2/insights/day/visit/${ai}/${yesterday()}.json?expire=10081`, /^expire must be .*got 10081/],
			[`/v2/insights/day/visit/${ai}/${yesterday()}.json?expire=1.5`, /^expire must be .*got 1\.5/],
		];
		for (const [path, message] of refusals) {
			const response = await get(path);
			const body = (await response.json()) as { message: string; errors: Array<{ code: string }> };
			expect({ path, status: response.status, message: body.message, code: body.errors[0]?.code }).toEqual({
				path,
				status: 400,
				message: expect.stringMatching(message),
				code: 'bad_request',
			});
		}
		// The edges GrowingIO accepts: 1 minute and 7 days.
		for (const expire of [1, 10080]) expect((await get(`/v2/insights/day/visit/${ai}/${yesterday()}.json?expire=${expire}`)).status).toBe(200);
		expect((await get(`/v2/insights/day/visit/0000000000000000/${yesterday()}.json`)).status).toBe(404);
	});

	it('serves every data type as gzip CSV parts with a header row, through all-types links', async () => {
		const body = await getJson(`/v2/insights/day/${ai}/${yesterday()}.json?expire=30`);
		expect(body.dataType).toBeUndefined();
		expect(Object.keys(body.downloadLinks)).toEqual([...RAW_DATA_TYPES]);
		for (const type of RAW_DATA_TYPES) {
			const links = body.downloadLinks[type] as string[];
			expect(links.length).toBeGreaterThanOrEqual(2);
			const response = await fetch(links[0]);
			expect(response.status).toBe(200);
			const gz = Buffer.from(await response.arrayBuffer());
			expect(gz.length).toBe(Number(response.headers.get('content-length')));
			const lines = gunzipSync(gz).toString('utf8').trimEnd().split('\n');
			expect(lines[0]).toBe(RAW_COLUMNS[type].join(','));
			expect(lines.length).toBeGreaterThan(10);
			for (const line of lines) expect(parseCsvLine(line)).toHaveLength(RAW_COLUMNS[type].length);
		}
		const vstr = body.downloadLinks[RAW_EXPORT_CASES.headerOnlyDataType] as string[];
		const last = gunzipSync(Buffer.from(await (await fetch(vstr[vstr.length - 1])).arrayBuffer())).toString('utf8');
		expect(last).toBe(`${RAW_COLUMNS.vstr.join(',')}\n`);
		expect(sandbox.requests.filter((r) => r.path.startsWith('/storage/')).every((r) => !r.countsTowardLimit)).toBe(true);
	});

	it('writes map columns as JSON and once in {"city"->"beijing"} style, with backslash escapes', async () => {
		const { downloadLinks } = await getJson<{ downloadLinks: string[] }>(`/v2/insights/day/custom_event/${ai}/${yesterday()}.json`);
		const text = gunzipSync(Buffer.from(await (await fetch(downloadLinks[0])).arrayBuffer())).toString('utf8');
		const rows = text.trimEnd().split('\n').slice(1).map(parseCsvLine);
		const column = RAW_COLUMNS.custom_event.indexOf('eventVariable');
		expect(rows[1][column]).toBe('{"city"->"beijing"}');
		expect(text).toContain('"{\\"city\\"->\\"beijing\\"}"');
		const json = rows.map((row) => row[column]).filter((value) => value.startsWith('{"') && !value.includes('->'));
		expect(json.length).toBeGreaterThan(10);
		for (const value of json) expect(() => JSON.parse(value)).not.toThrow();
	});

	it('refuses storage downloads with Authorization, a bad sign or after expiry', async () => {
		const { downloadLinks } = await getJson<{ downloadLinks: string[] }>(`/v2/insights/day/action/${ai}/${yesterday()}.json?expire=1`);
		const link = downloadLinks[0];
		const withAuth = await fetch(link, { headers: { Authorization: DEFAULT_API_TOKEN } });
		expect(withAuth.status).toBe(403);
		expect(await withAuth.text()).toContain('<Error>');
		// flip the first character of the signature (whatever it is) so the link is really tampered with
		expect((await fetch(link.replace(/sign=(.)/, (_m, c: string) => `sign=${c === '0' ? '1' : '0'}`))).status).toBe(403);
		clock += 60_001;
		expect((await fetch(link)).status).toBe(403);
	});

	it('streams a large part with an exact Content-Length when largePartRows is set', async () => {
		const own = await startSandbox({ quiet: true, requestsPerSecond: 0, now: () => clock, largePartRows: 60_000 });
		try {
			const date = exportDateDaysAgo(clock, RAW_EXPORT_CASES.largeDaysAgo);
			const body = (await (await get(`/v2/insights/day/${RAW_EXPORT_CASES.largeDataType}/${ai}/${date}.json`, undefined, own.url)).json()) as { downloadLinks: string[] };
			const response = await fetch(body.downloadLinks[0]);
			const gz = Buffer.from(await response.arrayBuffer());
			expect(gz.length).toBe(Number(response.headers.get('content-length')));
			const lines = gunzipSync(gz).toString('utf8').trimEnd().split('\n');
			expect(lines).toHaveLength(60_001);
			expect(parseCsvLine(lines[59_999])).toHaveLength(RAW_COLUMNS.custom_event.length);
		} finally {
			await own.close();
		}
	});
});

describe('sample data', () => {
	it('uses 8-character alphanumeric IDs and has one chart per layout', () => {
		for (const chart of CHARTS) expect(chart.id).toMatch(/^[A-Za-z0-9]{8}$/);
		expect(findChart('Lw3kP9sD')?.layout).toBe('line');
		expect(new Set(CHARTS.map((c) => c.layout)).size).toBe(7);
	});
});
