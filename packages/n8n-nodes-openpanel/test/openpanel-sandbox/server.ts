/**
 * A strict local OpenPanel API on 127.0.0.1, for tests and for trying the node in a real n8n.
 *
 * Order per request, as OpenPanel's Fastify hooks run: the rate limit (100 per 10 s per client ID,
 * a sliding window here, stricter than Redis' fixed one; refused requests count too), injected
 * faults, query validation (400 before any auth), client auth (401), project scoping
 * (403/404/400), then the route. Every request is recorded with its arrival time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { Socket } from 'net';
import { scryptSync, timingSafeEqual } from 'crypto';

import { maxInAnyWindow, SlidingWindowLimiter } from '../../../../sandbox/rateLimiter';
import {
	buckets,
	chartDate,
	checkFilters,
	compare,
	exportOrder,
	fieldOf,
	funnel,
	INTERVALS,
	metricsOf,
	passesFilters,
	RANGES,
	resolveRange,
	segmentValue,
	SEGMENTS,
	bucketStart,
	type ChartSeriesRequest,
	type EventFilter,
} from './analytics';
import { HttpError } from './httpError';
import { insightsRoutes } from './insights';
import { hashSecret, PROJECTS, SAMPLE_CLIENTS, sampleData, type StoredClient, type StoredEvent, type StoredProfile, type StoredProject } from './data';
import { objectArray, optionalEnum, optionalNumber, optionalString, parseQueryString, QueryError, stringOrStrings } from './queryString';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const FIVE_YEARS_DAYS = 5 * 365;
/** The fields /export/events selects when `includes` does not ask for more. */
const DEFAULT_EVENT_FIELDS = ['id', 'name', 'deviceId', 'profileId', 'projectId', 'sessionId', 'createdAt', 'country', 'city', 'os', 'browser', 'path', 'groups'] as const;

export type FaultKind = 'server_error' | 'bad_gateway' | 'connection_reset' | 'slow' | 'malformed_json' | 'rate_limit';

export interface Fault {
	kind: FaultKind;
	/** How many matching requests it hits; default 1. */
	times?: number;
	/** Substring of the path; default every API path. */
	path?: string;
	/** For slow: default 3000. */
	delayMs?: number;
	/** For rate_limit: the Retry-After header in seconds; default 1. */
	retryAfterSeconds?: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string[]>;
	clientId?: string;
	/** Headers as sent (the secret included: tests check where it went). */
	headers: IncomingMessage['headers'];
	arrivedAt: number;
	status: number;
	/** Events in the answer of /export/events. */
	returned?: number;
}

export interface OpenPanelSandboxOptions {
	port?: number;
	/** Requests per window per client; default 100 (0 = no limit). */
	rateLimit?: number;
	/** Default 10 000. */
	rateWindowMs?: number;
	/** The largest `limit` of /export/events: 1000 on current servers, 50 on old ones. */
	maxEventsLimit?: number;
	/** Clock for the sample data, range presets and the default window; default Date.now. */
	now?: () => number;
	/** Sessions per project and day in the sample data; default 24. */
	sessionsPerDay?: number;
	/** Requests per window per client at which /manage refuses; default 20 (0 with rateLimit 0). */
	manageRateLimit?: number;
	/**
	 * How long /export/events keeps its `totalCount` per query: OpenPanel caches the count 10
	 * minutes (600 000), so it lags behind new events. Default 0: counted live.
	 */
	countCacheMs?: number;
}

export interface OpenPanelSandbox {
	url: string;
	clients: typeof SAMPLE_CLIENTS;
	projects: StoredProject[];
	requests: RecordedRequest[];
	events: StoredEvent[];
	profiles: StoredProfile[];
	/** Adds events to the store (e.g. between two pages of a read). */
	insertEvents(events: StoredEvent[]): void;
	/** Called before /export/events computes an answer; lets a test change the store mid-read. */
	beforeEventsPage?: (page: number, projectId: string) => void;
	addFault(fault: Fault): void;
	clearFaults(): void;
	resetRequests(): void;
	/** The most requests of one client that arrived in any rate window. */
	maxRequestsInWindow(clientId: string): number;
	close(): Promise<void>;
}

/** Secrets already verified against a stored hash: scrypt is slow on purpose, the answer never changes. */
const verified = new Set<string>();

function verifySecret(secret: string, stored: string): boolean {
	if (verified.has(`${stored}\u0000${secret}`)) return true;
	const [salt, hash] = stored.split(':');
	const given = scryptSync(secret, salt, 64);
	const ok = timingSafeEqual(given, Buffer.from(hash, 'hex'));
	if (ok) verified.add(`${stored}\u0000${secret}`);
	return ok;
}

export async function startOpenPanelSandbox(options: OpenPanelSandboxOptions = {}): Promise<OpenPanelSandbox> {
	const now = options.now ?? Date.now;
	const windowMs = options.rateWindowMs ?? 10_000;
	const rateLimit = options.rateLimit ?? 100;
	const maxEventsLimit = options.maxEventsLimit ?? 1000;
	const countCacheMs = options.countCacheMs ?? 0;
	const countCache = new Map<string, { count: number; at: number }>();
	const data = sampleData(now(), options.sessionsPerDay);
	const events = data.events;
	const profiles = new Map(data.profiles.map((p) => [p.id, p]));
	const clients = new Map<string, StoredClient>(
		Object.values(SAMPLE_CLIENTS).map((c) => [c.id, { id: c.id, type: c.type, organizationId: c.organizationId, projectId: c.projectId, secretHash: hashSecret(c.secret) }]),
	);
	const limiters = new Map<string, SlidingWindowLimiter>();
	const requests: RecordedRequest[] = [];
	let faults: Array<Fault & { remaining: number }> = [];
	const namesCache = new Map<string, { at: number; names: string[] }>();
	const sockets = new Set<Socket>();

	/**
	 * validateExportRequest: UUID, known client, has a secret, not a write client, secret matches.
	 * validateManageRequest (`Manage`): the same, but only root clients.
	 */
	function authenticate(headers: IncomingMessage['headers'], scope: 'Export' | 'Manage' = 'Export'): StoredClient {
		const id = String(headers['openpanel-client-id'] ?? '');
		const secret = String(headers['openpanel-client-secret'] ?? '');
		if (!UUID.test(id)) throw new HttpError(401, `${scope}: Client ID must be a valid UUIDv4`, 'Unauthorized');
		const client = clients.get(id.toLowerCase());
		if (!client) throw new HttpError(401, `${scope}: Invalid client id`, 'Unauthorized');
		if (!client.secretHash) throw new HttpError(401, `${scope}: Client has no secret`, 'Unauthorized');
		if (scope === 'Export' && client.type === 'write') throw new HttpError(401, 'Export: Client is not allowed to export', 'Unauthorized');
		if (scope === 'Manage' && client.type !== 'root') throw new HttpError(401, 'Manage: Only root clients are allowed to manage resources', 'Unauthorized');
		if (!verifySecret(secret, client.secretHash)) throw new HttpError(401, `${scope}: Invalid client secret`, 'Unauthorized');
		return client;
	}

	/** The export routes' getProjectId: projectId wins over project_id; read clients only their own. */
	function exportProject(client: StoredClient, query: Record<string, unknown>): string {
		const asked = optionalString(query, 'projectId') ?? optionalString(query, 'project_id');
		if (!asked) {
			if (client.projectId) return client.projectId;
			throw new HttpError(400, 'project_id or projectId is required');
		}
		if (client.type === 'read' && asked !== client.projectId) throw new HttpError(403, 'You do not have access to this project');
		const project = PROJECTS.find((p) => p.id === asked && p.organizationId === client.organizationId);
		if (!project) throw new HttpError(404, 'Project not found');
		return project.id;
	}

	/** Insights' resolveClientProjectId: a read client's path project is ignored; its plain Errors come back as 500. */
	function insightsProject(client: StoredClient, pathProject: string): string {
		if (client.type === 'read' && client.projectId) return client.projectId;
		const project = PROJECTS.find((p) => p.id === pathProject && p.organizationId === client.organizationId);
		if (!project) throw new HttpError(500, 'Internal server error');
		return project.id;
	}

	function projectEvents(projectId: string): StoredEvent[] {
		return events.filter((e) => e.projectId === projectId);
	}

	function exportEvents(query: Record<string, unknown>, headers: IncomingMessage['headers']) {
		const profileId = optionalString(query, 'profileId');
		const names = stringOrStrings(query, 'event');
		const start = optionalString(query, 'start');
		const end = optionalString(query, 'end');
		const page = optionalNumber(query, 'page') ?? 1;
		const askedLimit = optionalNumber(query, 'limit') ?? 50;
		const filters = query.filters === undefined ? [] : checkFilters(objectArray(query, 'filters') ?? [], 'filters');
		const includes = (stringOrStrings(query, 'includes') ?? []).flatMap((i) => i.split(',')).map((i) => i.trim()).filter(Boolean);
		const client = authenticate(headers);
		const projectId = exportProject(client, query);
		sandbox.beforeEventsPage?.(page, projectId);
		const limit = Math.min(Math.max(Math.trunc(askedLimit), 1), maxEventsLimit);

		let matching = projectEvents(projectId).filter(
			(e) => (!names || names.includes(e.name)) && (!profileId || e.profileId === profileId) && passesFilters(e, filters, profiles),
		);
		if (start && end) {
			const from = Date.parse(start);
			const to = Date.parse(end);
			// An invalid date reaches ClickHouse and fails there.
			if (Number.isNaN(from) || Number.isNaN(to)) throw new HttpError(500, 'Internal server error');
			const [fromDay, toDay] = [new Date(from).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)];
			matching = matching.filter((e) => e.createdAt.slice(0, 10) >= fromDay && e.createdAt.slice(0, 10) <= toDay);
		}
		const countKey = JSON.stringify([projectId, names ?? null, profileId ?? null, filters, start ?? null, end ?? null]);
		const cachedCount = countCache.get(countKey);
		let totalCount = matching.length;
		if (countCacheMs && cachedCount && now() - cachedCount.at < countCacheMs) totalCount = cachedCount.count;
		else countCache.set(countKey, { count: totalCount, at: now() });
		let listed = matching;
		if (!(start && end) && page <= 1) {
			// Page 1 without both dates looks at INTERVAL 0.5 DAY (truncated to 0 days), then doubles.
			for (let days = 0; ; days = days ? days * 2 : 1) {
				const since = now() - days * DAY_MS;
				listed = matching.filter((e) => Date.parse(e.createdAt) >= since);
				if (listed.length || days >= FIVE_YEARS_DAYS) break;
			}
		}
		const pageEvents = [...listed].sort(exportOrder).slice((Math.max(page, 1) - 1) * limit, Math.max(page, 1) * limit);
		const data = pageEvents.map((event) => {
			const out: Record<string, unknown> = {};
			for (const field of DEFAULT_EVENT_FIELDS) out[field] = event[field];
			for (const field of includes) {
				if (field === 'profile') out.profile = profiles.get(event.profileId);
				else if (field === 'meta') out.meta = { name: event.name, conversion: event.name === 'purchase', color: '#2563eb' };
				else if (field in event && field !== 'duration') out[field] = (event as unknown as Record<string, unknown>)[field];
			}
			return out;
		});
		return { meta: { count: data.length, totalCount, pages: Math.ceil(totalCount / limit), current: page }, data };
	}

	function chartRange(query: Record<string, unknown>): [number, number] {
		const range = optionalEnum(query, 'range', RANGES) ?? '30d';
		const startDate = optionalString(query, 'startDate');
		const endDate = optionalString(query, 'endDate');
		if (startDate && endDate) {
			const from = Date.parse(startDate);
			const to = Date.parse(endDate);
			if (Number.isNaN(from) || Number.isNaN(to)) throw new HttpError(500, 'Internal server error');
			return [from, to];
		}
		return resolveRange(range, now());
	}

	function exportCharts(query: Record<string, unknown>, headers: IncomingMessage['headers']) {
		const rawSeries = objectArray(query, 'series') ?? objectArray(query, 'events');
		if (!rawSeries) throw new QueryError('querystring/series Invalid input: expected array, received undefined');
		const series: ChartSeriesRequest[] = rawSeries.map((item, index) => {
			if (typeof item.name !== 'string' || !item.name) throw new QueryError(`querystring/series/${index}/name Invalid input: expected string`);
			const segment = item.segment ?? 'event';
			if (!SEGMENTS.includes(segment as ChartSeriesRequest['segment'])) throw new QueryError(`querystring/series/${index}/segment Invalid option`);
			if (item.property !== undefined && typeof item.property !== 'string') throw new QueryError(`querystring/series/${index}/property Invalid input: expected string`);
			const filters = item.filters === undefined ? [] : Array.isArray(item.filters) ? checkFilters(item.filters as Array<Record<string, unknown>>, `series/${index}/filters`) : [];
			return { name: item.name, segment: segment as ChartSeriesRequest['segment'], property: item.property as string | undefined, filters };
		});
		const breakdowns = (objectArray(query, 'breakdowns') ?? []).map((b, index) => {
			if (typeof b.name !== 'string' || !b.name) throw new QueryError(`querystring/breakdowns/${index}/name Invalid input: expected string`);
			return b.name;
		});
		const interval = optionalEnum(query, 'interval', INTERVALS) ?? 'day';
		const previous = query.previous === undefined ? false : query.previous;
		if (typeof previous !== 'boolean') throw new QueryError('querystring/previous Invalid input: expected boolean');
		const [from, to] = chartRange(query);
		const client = authenticate(headers);
		const projectId = exportProject(client, query);

		const slots = buckets(from, to, interval);
		const length = to - from + 1;
		const stored = projectEvents(projectId);
		const within = (e: StoredEvent, a: number, b: number) => {
			const at = Date.parse(e.createdAt);
			return at >= a && at <= b;
		};
		const out: unknown[] = [];
		const totals: number[] = [];
		const previousTotals: number[] = [];
		series.forEach((request, index) => {
			const chosen = stored.filter((e) => e.name === request.name && passesFilters(e, request.filters, profiles));
			const current = chosen.filter((e) => within(e, from, to));
			const groups = new Map<string, StoredEvent[]>();
			for (const event of current) {
				const key = JSON.stringify(breakdowns.map((b) => String(fieldOf(event, b, profiles) ?? '')));
				(groups.get(key) ?? groups.set(key, []).get(key)!).push(event);
			}
			for (const [key, groupEvents] of groups) {
				const values = JSON.parse(key) as string[];
				const sameGroup = (e: StoredEvent) => JSON.stringify(breakdowns.map((b) => String(fieldOf(e, b, profiles) ?? ''))) === key;
				// WITH FILL adds the empty buckets before the end's bucket; a bucket with data is there anyway.
				const groupSlots = [...new Set([...slots, ...groupEvents.map((e) => bucketStart(Date.parse(e.createdAt), interval))])].sort((a, b) => a - b);
				const points = groupSlots.map((slot) => {
					const inSlot = groupEvents.filter((e) => bucketStart(Date.parse(e.createdAt), interval) === slot);
					const count = segmentValue(inSlot, request, profiles);
					const point: Record<string, unknown> = { date: chartDate(slot), count };
					if (previous) {
						const before = chosen.filter((e) => sameGroup(e) && within(e, from - length, to - length) && bucketStart(Date.parse(e.createdAt) + length, interval) === slot);
						point.previous = compare(count, segmentValue(before, request, profiles));
					}
					return point;
				});
				const counts = points.map((p) => p.count as number);
				const metrics: Record<string, unknown> = { ...metricsOf(counts) };
				totals.push(...counts);
				if (previous) {
					const prevCounts = points.map((p) => (p.previous as { value: number }).value);
					previousTotals.push(...prevCounts);
					const prev = metricsOf(prevCounts);
					const now = metricsOf(counts);
					metrics.previous = Object.fromEntries((['sum', 'average', 'min', 'max', 'count'] as const).map((k) => [k, compare(now[k], prev[k])]));
				}
				const breakdownValues = Object.fromEntries(breakdowns.map((b, i) => [b, values[i]]));
				out.push({
					id: `${index}-${values.join('-') || request.name}`,
					names: [request.name, ...values],
					event: { id: String(index), name: request.name, ...(breakdowns.length ? { breakdowns: breakdownValues } : {}) },
					metrics,
					data: points,
				});
			}
		});
		const metrics: Record<string, unknown> = { ...metricsOf(totals) };
		if (previous) {
			const prev = metricsOf(previousTotals);
			const cur = metricsOf(totals);
			metrics.previous = Object.fromEntries((['sum', 'average', 'min', 'max', 'count'] as const).map((k) => [k, compare(cur[k], prev[k])]));
		}
		return { series: out, metrics };
	}

	function insightsFunnel(pathProject: string, query: Record<string, unknown>, headers: IncomingMessage['headers']) {
		const steps = stringOrStrings(query, 'steps');
		if (!steps || steps.length < 2) throw new QueryError('querystring/steps Too small: expected array to have >=2 items');
		if (steps.length > 10) throw new QueryError('querystring/steps Too big: expected array to have <=10 items');
		const windowHours = optionalNumber(query, 'windowHours') ?? 24;
		if (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 720) throw new QueryError('querystring/windowHours Number must be a whole number from 1 to 720');
		const groupBy = optionalEnum(query, 'groupBy', ['session_id', 'profile_id'] as const) ?? 'session_id';
		const range = optionalEnum(query, 'range', RANGES);
		const startDate = optionalString(query, 'startDate');
		const endDate = optionalString(query, 'endDate');
		const client = authenticate(headers);
		const projectId = insightsProject(client, pathProject);
		let from: number;
		let to: number;
		if (startDate && endDate) [from, to] = [Date.parse(startDate), Date.parse(endDate)];
		else if (range) [from, to] = resolveRange(range, now());
		else {
			// The default range ends at today 00:00.
			const today = Math.floor(now() / DAY_MS) * DAY_MS;
			[from, to] = [today - 30 * DAY_MS, today];
		}
		if (Number.isNaN(from) || Number.isNaN(to)) throw new HttpError(500, 'Internal server error');
		const chosen = projectEvents(projectId).filter((e) => Date.parse(e.createdAt) >= from && Date.parse(e.createdAt) <= to);
		return funnel(chosen, steps, windowHours * 3_600_000, groupBy);
	}

	function eventNames(pathProject: string, headers: IncomingMessage['headers']) {
		const client = authenticate(headers);
		const projectId = insightsProject(client, pathProject);
		const cached = namesCache.get(projectId);
		// Cached about 10 minutes server-side: a new name shows up late.
		if (cached && now() - cached.at < 600_000) return cached.names;
		const counts = new Map<string, number>();
		for (const e of projectEvents(projectId)) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
		const names = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50).map(([name]) => name);
		namesCache.set(projectId, { at: now(), names });
		return names;
	}

	const moreRoutes = insightsRoutes({
		now,
		events,
		authenticate: (headers) => authenticate(headers as IncomingMessage['headers']),
		insightsProject,
		authenticateManage: (headers) => authenticate(headers as IncomingMessage['headers'], 'Manage'),
		requestsInWindow: (clientId) => requests.filter((r) => r.clientId === clientId && r.arrivedAt > Date.now() - windowMs).length,
		manageRateLimit: options.manageRateLimit ?? (rateLimit > 0 ? 20 : 0),
		rateWindowMs: windowMs,
	});

	function route(method: string, path: string, query: Record<string, unknown>, headers: IncomingMessage['headers']): unknown {
		if (method !== 'GET') throw new HttpError(404, `Route ${method}:${path} not found`, 'Not Found');
		if (path === '/export/events') return exportEvents(query, headers);
		if (path === '/export/charts') return exportCharts(query, headers);
		const insights = /^\/insights\/([^/]+)\/(funnel|events\/names)$/.exec(path);
		if (insights) {
			const project = decodeURIComponent(insights[1]);
			return insights[2] === 'funnel' ? insightsFunnel(project, query, headers) : eventNames(project, headers);
		}
		const more = moreRoutes(path, query, headers);
		if (more) return more.body;
		throw new HttpError(404, `Route GET:${path} not found`, 'Not Found');
	}

	function takeFault(path: string): Fault | undefined {
		const index = faults.findIndex((f) => f.path === undefined || path.includes(f.path));
		if (index < 0) return undefined;
		const fault = faults[index];
		if (--fault.remaining <= 0) faults.splice(index, 1);
		return fault;
	}

	function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, extra: Record<string, string> = {}) {
		record.status = status;
		const events = (body as { data?: unknown } | undefined)?.data;
		if (Array.isArray(events)) record.returned = events.length;
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...extra }).end(text);
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const rawQuery: Record<string, string[]> = {};
		for (const key of new Set(url.searchParams.keys())) rawQuery[key] = url.searchParams.getAll(key);
		const clientId = typeof req.headers['openpanel-client-id'] === 'string' ? req.headers['openpanel-client-id'] : undefined;
		const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: rawQuery, clientId, headers: req.headers, arrivedAt: Date.now(), status: 0 };
		requests.push(record);

		// The limiter keys on the client ID header, else the caller's address.
		const limiterKey = clientId ?? req.socket.remoteAddress ?? 'unknown';
		const limiter = limiters.get(limiterKey) ?? limiters.set(limiterKey, new SlidingWindowLimiter(rateLimit, windowMs)).get(limiterKey)!;
		const allowed = limiter.hit(record.arrivedAt);
		const rateHeaders = { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(windowMs / 1000)) };
		if (!allowed) {
			send(res, record, 429, { status: 429, error: 'Too Many Requests', message: 'You have exceeded the rate limit for this endpoint.' }, { ...rateHeaders, 'retry-after': String(Math.ceil(windowMs / 1000)) });
			return;
		}

		const fault = takeFault(url.pathname);
		if (fault?.kind === 'connection_reset') {
			record.status = -1;
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 3000));
		if (fault?.kind === 'server_error') return send(res, record, 500, 'Internal server error');
		if (fault?.kind === 'bad_gateway') return send(res, record, 502, '<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>');
		if (fault?.kind === 'rate_limit') {
			return send(res, record, 429, { status: 429, error: 'Too Many Requests', message: 'You have exceeded the rate limit for this endpoint.' }, { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
		}

		try {
			const body = route(record.method, url.pathname, parseQueryString(url.searchParams), req.headers);
			if (fault?.kind === 'malformed_json') {
				record.status = 200;
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body).slice(0, 40));
				return;
			}
			send(res, record, 200, body, rateHeaders);
		} catch (error) {
			if (error instanceof QueryError) return send(res, record, 400, { status: 400, error: 'Error', message: error.message });
			if (error instanceof HttpError) {
				// Production builds answer a 500 as plain text.
				if (error.status >= 500) return send(res, record, error.status, 'Internal server error');
				return send(res, record, error.status, { status: error.status, ...(error.error ? { error: error.error } : {}), message: error.message }, error.headers);
			}
			return send(res, record, 500, 'Internal server error');
		}
	}

	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => void handle(req, res));
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));

	const sandbox: OpenPanelSandbox = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		clients: SAMPLE_CLIENTS,
		projects: PROJECTS,
		requests,
		events,
		profiles: data.profiles,
		insertEvents: (added) => void events.push(...added),
		addFault: (fault) => void faults.push({ ...fault, remaining: fault.times ?? 1 }),
		clearFaults: () => void (faults = []),
		resetRequests: () => void requests.splice(0),
		maxRequestsInWindow: (clientId) =>
			maxInAnyWindow(
				requests.filter((r) => r.clientId === clientId).map((r) => r.arrivedAt),
				windowMs,
			),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
	return sandbox;
}

export type { EventFilter, StoredEvent };
