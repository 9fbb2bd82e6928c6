/**
 * A strict, GrowingIO-compatible HTTP server on 127.0.0.1 for tests, the demo and a real n8n.
 *
 * Every request is recorded on arrival. API paths are then rate-limited (2 per second per
 * project by default, 429 beyond), hit by injected faults, routed, authenticated and answered
 * in GrowingIO's shapes. /auth/token (key-pair login) and /storage (presigned downloads, which
 * refuse any Authorization header) do not count toward the limit; /__sandbox/* is the
 * unrecorded control API for out-of-process users.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { performance } from 'perf_hooks';

import { KeyPairSessions, safeEqual } from './auth';
import { DASHBOARDS, type DashboardDefinition } from './data';
import { listDashboards } from './statistics';
import { Exchange, JSON_CONTENT_TYPE, readBody } from './exchange';
import { Exporter } from './exporter';
import { FaultQueue, parseFaultSpec, type FaultSpec } from './faults';
import { maxInAnyWindow, SlidingWindowLimiter } from './rateLimiter';
import type { RawDataType } from './rawData';
import { RawExports } from './rawExport';
import { matchRoute, type RouteServices } from './routes';
import { sendStorageError, sendStorageObject, StorageSigner, type StorageObject } from './storage';
import { DAY_MS } from './time';
import { badRequest, errorResult, notFound, UNAUTHORIZED, type ApiResult, type RecordedRequest, type SandboxProject } from './types';

export type { FaultKind, FaultSpec } from './faults';
export type { RecordedRequest, SandboxProject } from './types';
export { signAuthToken } from './auth';

export interface SandboxOptions {
	/** Default 0 (ephemeral); the host is always 127.0.0.1. */
	port?: number;
	/** Accepted UI API tokens; default [DEFAULT_API_TOKEN]. */
	apiTokens?: string[];
	/** Default DEFAULT_PROJECT. */
	project?: Partial<SandboxProject>;
	/** Default 2; 0 disables the rate limit (requests are still marked countsTowardLimit). */
	requestsPerSecond?: number;
	/** Lifetime of /auth/token codes; default 30 days. */
	codeTtlMs?: number;
	/** Raw export stays RUNNING this long after its first request; default 0. */
	exportRunningMs?: number;
	/** Clock for raw-export windows and dates, code expiry, link expiry and default report ranges; default Date.now. */
	now?: () => number;
	/** Rows of the large raw-export part (see RAW_EXPORT_CASES); default 0 = no large part. */
	largePartRows?: number;
	/**
	 * Hours after Beijing midnight during which v2 charts show the previous Beijing day short, as
	 * GrowingIO does while its daily jobs run (see dailyJobs.ts); default 0 = always final.
	 */
	previousDayLagHours?: number;
	/** Raw-export data types the project has not enabled (always NOT_EXISTS); default none. */
	disabledDataTypes?: RawDataType[];
	/** The project's dashboards; default the sample catalog's DASHBOARDS. */
	dashboards?: DashboardDefinition[];
	quiet?: boolean;
}

export interface Sandbox {
	/** http://127.0.0.1:<port> */
	url: string;
	/** A working UI token. */
	apiToken: string;
	project: SandboxProject;
	/** Every request in arrival order (API, auth and storage). */
	requests: RecordedRequest[];
	injectFault(spec: FaultSpec): void;
	clearFaults(): void;
	resetRequests(): void;
	/** Most requests with countsTowardLimit in any window (t - windowMs, t]; default 1000 ms. */
	maxRequestsInAnyWindow(windowMs?: number): number;
	/** /auth/token codes issued so far, newest last. */
	issuedCodes(): string[];
	close(): Promise<void>;
}

export const DEFAULT_API_TOKEN = 'HrPEkiBycAlzER7SYpWEj2Kle9ob7QdiRCeQ4rWp6JPhJ4ka8IwpIkbk7pTJJEJb';

export const DEFAULT_PROJECT: SandboxProject = {
	uid: 'nxog09md',
	ai: 'a5006f6a0d3a6aab',
	publicKey: '41b43a9b87ff44ce5ce319e4d6d63ee8',
	privateKey: '2b17081956d463ef99e3d004e302485e',
};

const DEFAULT_CODE_TTL_MS = 30 * DAY_MS;

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

/** A JSON body cut mid-way, as a proxy or an overloaded backend sometimes delivers. */
const MALFORMED_JSON = (() => {
	const text = JSON.stringify((listDashboards() as { json: unknown }).json);
	return text.slice(0, Math.floor(text.length / 2));
})();

type Area = 'api' | 'auth' | 'storage';

function areaOf(path: string): Area {
	if (path === '/auth/token') return 'auth';
	if (path.startsWith('/storage/')) return 'storage';
	return 'api';
}

function tooManyRequests(limit: number, retryAfterSeconds = 1): ApiResult {
	const result = errorResult(429, 'Too Many Requests', 'rate_limited', `Request rate exceeds ${limit} requests per second`);
	return { ...result, headers: { 'Retry-After': String(retryAfterSeconds) } };
}

function methodNotAllowed(allow: string): ApiResult {
	const result = errorResult(405, 'Method Not Allowed', 'method_not_allowed', `Only ${allow} is supported here`);
	return { ...result, headers: { Allow: allow } };
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Login fields from the raw body (form-style or JSON), or from the query string when the body is empty. */
function loginFields(body: string, url: URL): URLSearchParams {
	const text = body.trim();
	if (!text) return url.searchParams;
	if (text.startsWith('{')) {
		try {
			const parsed = JSON.parse(text) as Record<string, unknown>;
			return new URLSearchParams(Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]));
		} catch {
			return new URLSearchParams();
		}
	}
	return new URLSearchParams(text);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const project: SandboxProject = { ...DEFAULT_PROJECT, ...options.project };
	const apiTokens = options.apiTokens ?? [DEFAULT_API_TOKEN];
	if (!apiTokens.length) throw new Error('startSandbox needs at least one API token');
	const requestsPerSecond = options.requestsPerSecond ?? 2;
	if (!(requestsPerSecond >= 0)) throw new Error('requestsPerSecond must be 0 or more');
	const now = options.now ?? Date.now;
	const quiet = options.quiet ?? false;

	const requests: RecordedRequest[] = [];
	const faults = new FaultQueue();
	const limiter = new SlidingWindowLimiter(requestsPerSecond);
	const sessions = new KeyPairSessions(project, options.codeTtlMs ?? DEFAULT_CODE_TTL_MS, now);
	const storage = new StorageSigner();
	let baseUrl = '';
	const services: RouteServices = {
		now,
		dashboards: options.dashboards ?? DASHBOARDS,
		previousDayLagHours: options.previousDayLagHours ?? 0,
		rawExports: new RawExports({
			ai: project.ai,
			now,
			exportRunningMs: options.exportRunningMs ?? 0,
			largePartRows: options.largePartRows ?? 0,
			disabledDataTypes: options.disabledDataTypes ?? [],
			storage,
			baseUrl: () => baseUrl,
		}),
		exporter: new Exporter({ now, storage, baseUrl: () => baseUrl }),
	};
	// Slow-fault waits, ended early by close() so it never hangs on them.
	const waits = new Set<() => void>();

	function sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const finish = () => {
				clearTimeout(timer);
				waits.delete(finish);
				resolve();
			};
			const timer = setTimeout(finish, ms);
			waits.add(finish);
		});
	}

	function authorizedWith(req: IncomingMessage): RecordedRequest['authorizedWith'] {
		const authorization = header(req, 'authorization');
		if (!authorization) return undefined;
		if (apiTokens.some((token) => safeEqual(token, authorization))) return 'apiToken';
		// Key-pair codes come with the public key, as every legacy client sends it.
		const clientId = header(req, 'x-client-id');
		return sessions.isValid(authorization) && clientId !== undefined && safeEqual(clientId, project.publicKey) ? 'keyPairCode' : undefined;
	}

	/** Answers an injected fault; false when the request should go on normally (slow). */
	async function applyFault(exchange: Exchange, fault: FaultSpec): Promise<boolean> {
		switch (fault.kind) {
			case 'request_timeout':
				exchange.result(errorResult(500, 'Request timeout', 'request_timeout', 'Request timeout in 5000 milliseconds'));
				return true;
			case 'connection_reset':
				exchange.reset();
				return true;
			case 'slow':
				await sleep(fault.delayMs ?? 3000);
				return exchange.closed;
			case 'malformed_json':
				exchange.send(200, JSON_CONTENT_TYPE, MALFORMED_JSON);
				return true;
			case 'html_error':
				exchange.send(502, 'text/html', NGINX_502);
				return true;
			case 'expired_token':
				// Like a code that ran out: this request fails and only a new login helps.
				sessions.revoke();
				exchange.result(UNAUTHORIZED);
				return true;
			case 'rate_limit':
				exchange.result(tooManyRequests(requestsPerSecond || 2, fault.retryAfterSeconds));
				return true;
			case 'bad_request':
				exchange.result(badRequest('Invalid request parameters'));
				return true;
			case 'not_found':
				exchange.result(notFound('resource not found'));
				return true;
			case 'truncated_download':
				return false;
		}
	}

	async function takeFault(exchange: Exchange, area: Area): Promise<boolean> {
		const fault = faults.take(exchange.url.pathname, area);
		if (!fault) return false;
		if (exchange.record) exchange.record.fault = fault.kind;
		return await applyFault(exchange, fault);
	}

	async function handleApi(exchange: Exchange, withinLimit: boolean): Promise<void> {
		if (!withinLimit) return exchange.result(tooManyRequests(requestsPerSecond));
		if (await takeFault(exchange, 'api')) return;
		const { req, url } = exchange;
		const route = matchRoute(url.pathname);
		if (!route) return exchange.result(notFound(`no API at ${url.pathname}`));
		if (req.method !== 'GET') return exchange.result(methodNotAllowed('GET'));
		const authorization = authorizedWith(req);
		if (!authorization) return exchange.result(UNAUTHORIZED);
		if (exchange.record) exchange.record.authorizedWith = authorization;
		if (route.uid !== undefined && route.uid !== project.uid) return exchange.result(notFound(`project ${route.uid} not found`));
		if (route.ai !== undefined && route.ai !== project.ai) return exchange.result(notFound(`project ${route.ai} not found`));
		exchange.result(route.handle(services, url.searchParams));
	}

	async function handleLogin(exchange: Exchange): Promise<void> {
		const { req, url } = exchange;
		if (req.method !== 'POST') return exchange.result(methodNotAllowed('POST'));
		if (await takeFault(exchange, 'auth')) return;
		const outcome = sessions.login(loginFields(await readBody(req), url), header(req, 'x-client-id'));
		if (outcome.ok) return exchange.json(200, { status: 'success', code: outcome.code });
		if (outcome.status === 400) return exchange.result(badRequest(outcome.message));
		exchange.result(errorResult(401, 'Unauthorized', outcome.failure, outcome.message));
	}

	async function handleStorage(exchange: Exchange): Promise<void> {
		const { req, url } = exchange;
		if (req.method !== 'GET' && req.method !== 'HEAD') return sendStorageError(exchange, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
		const refusal = storage.check(url.pathname, url.searchParams, req.headers.authorization !== undefined, now());
		if (refusal) return sendStorageError(exchange, refusal.status, refusal.code, refusal.message);
		const [, , folder, file, ...rest] = url.pathname.split('/');
		let object: StorageObject | undefined;
		if (folder && file && !rest.length) {
			object = folder === 'segment-download-jobs' ? services.exporter.resolveSegmentFile(file) : services.rawExports.resolvePart(folder, file);
		}
		if (!object) return sendStorageError(exchange, 404, 'NoSuchKey', 'The specified key does not exist.');
		const fault = faults.take(url.pathname, 'storage');
		if (fault && exchange.record) exchange.record.fault = fault.kind;
		await sendStorageObject(exchange, object, fault?.kind === 'truncated_download');
	}

	async function handleControl(exchange: Exchange): Promise<void> {
		const { req, url } = exchange;
		const resource = url.pathname.slice('/__sandbox/'.length);
		if (resource === 'faults' && req.method === 'POST') {
			let specs: FaultSpec[];
			try {
				const body: unknown = JSON.parse(await readBody(req));
				specs = (Array.isArray(body) ? body : [body]).map(parseFaultSpec);
			} catch (error) {
				return exchange.result(badRequest(`invalid fault: ${(error as Error).message}`));
			}
			specs.forEach((spec) => faults.add(spec));
			return exchange.json(201, { pending: pendingFaults() });
		}
		if (resource === 'faults' && req.method === 'GET') return exchange.json(200, pendingFaults());
		if (resource === 'faults' && req.method === 'DELETE') {
			faults.clear();
			return exchange.send(204, 'text/plain', '');
		}
		if (resource === 'requests' && req.method === 'GET') return exchange.json(200, requests);
		if (resource === 'requests' && req.method === 'DELETE') {
			requests.splice(0);
			return exchange.send(204, 'text/plain', '');
		}
		if (resource === 'faults' || resource === 'requests') return exchange.result(methodNotAllowed(resource === 'faults' ? 'GET, POST, DELETE' : 'GET, DELETE'));
		exchange.result(notFound(`no control API at ${url.pathname}`));
	}

	/** JSON cannot say Infinity; the control API spells it as a string both ways. */
	function pendingFaults() {
		return faults.pending().map((spec) => ({ ...spec, times: spec.times === Infinity ? 'Infinity' : spec.times }));
	}

	function log(record: RecordedRequest): void {
		const time = new Date().toISOString().slice(11, 23);
		const query = Object.keys(record.query).length ? `?${new URLSearchParams(record.query).toString()}` : '';
		const fault = record.fault ? `  [fault: ${record.fault}]` : '';
		process.stdout.write(`[sandbox] ${time} ${record.method} ${record.path}${query} → ${record.status || 'reset'}${fault}\n`);
	}

	function onRequest(req: IncomingMessage, res: ServerResponse): void {
		// Taken first, before any await, so arrival order and times are exact.
		const arrivedAt = performance.timeOrigin + performance.now();
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://127.0.0.1');
		} catch {
			res.writeHead(400).end();
			return;
		}
		const path = url.pathname;
		if (path.startsWith('/__sandbox/')) {
			run(new Exchange(req, res, url), handleControl);
			return;
		}
		const area = areaOf(path);
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path,
			query: Object.fromEntries(url.searchParams),
			arrivedAt,
			status: 0,
			countsTowardLimit: area === 'api',
			hadAuthorization: req.headers.authorization !== undefined,
		};
		requests.push(record);
		const withinLimit = area === 'api' ? limiter.hit(arrivedAt) : true;
		if (!quiet) res.once('close', () => log(record));
		const exchange = new Exchange(req, res, url, record);
		if (area === 'api') run(exchange, (e) => handleApi(e, withinLimit));
		else run(exchange, area === 'auth' ? handleLogin : handleStorage);
	}

	function run(exchange: Exchange, handler: (exchange: Exchange) => Promise<void>): void {
		handler(exchange).catch((error: Error) => {
			if (!quiet) process.stderr.write(`[sandbox] ${exchange.url.pathname} failed: ${error.stack ?? error.message}\n`);
			if (exchange.res.headersSent) exchange.reset();
			else exchange.result(errorResult(500, 'Internal Server Error'));
		});
	}

	const server = createServer(onRequest);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	let closing: Promise<void> | undefined;
	return {
		url: baseUrl,
		apiToken: apiTokens[0],
		project,
		requests,
		injectFault: (spec) => faults.add(spec),
		clearFaults: () => faults.clear(),
		resetRequests: () => void requests.splice(0),
		maxRequestsInAnyWindow: (windowMs = 1000) =>
			maxInAnyWindow(
				requests.filter((r) => r.countsTowardLimit).map((r) => r.arrivedAt),
				windowMs,
			),
		issuedCodes: () => [...sessions.issued],
		close: () => {
			closing ??= new Promise<void>((resolve) => {
				for (const finish of [...waits]) finish();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
