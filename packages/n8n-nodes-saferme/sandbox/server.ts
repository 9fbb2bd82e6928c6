/**
 * A strict local imitation of SaferMe's API V4: session login with expiring access tokens and
 * rotating refresh tokens, the Authorization / X-AppId / X-TeamId headers, channels, forms,
 * team users, report states, the nine analytics reports and Range paging; plus faults the
 * tests (or the control API) switch on. It refuses what SaferMe refuses, in SaferMe's shapes.
 */
import { randomBytes } from 'crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

import { ANALYTICS_REPORTS, AWARENESS_FIELDS, computeAnalytics, READ_FIELDS, SELECTION_FIELD_TYPES, type AnalyticsReport } from './analytics';
import { buildSampleData, LOGIN_EMAIL, LOGIN_PASSWORD, TEAM_ID, type SampleData } from './data';

export const APP_ID = 'com.thundermaps.saferme';
/** SaferMe's documented page: 60 objects by default, at most 100. */
export const DEFAULT_PAGE_SIZE = 60;
export const MAX_PAGE_SIZE = 100;

export type FaultKind = 'status' | 'reset' | 'slow' | 'expireToken' | 'html';

export interface Fault {
	/** Requests whose path starts with this get the fault. */
	pathPrefix: string;
	kind: FaultKind;
	/** How many requests get it (default 1). */
	times?: number;
	status?: number;
	retryAfter?: string;
	delayMs?: number;
}

export interface SandboxOptions {
	port?: number;
	now?: Date;
	accessTokenTtlMs?: number;
	refreshTokenTtlMs?: number;
	/** Lower than SaferMe's 100 to make paging visible in tests. */
	maxPageSize?: number;
	quiet?: boolean;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: string;
	status: number;
	at: number;
}

interface Session {
	userId: number;
	accessToken: string;
	refreshToken: string;
	accessExpiresAt: number;
	refreshExpiresAt: number;
	alive: boolean;
}

class Refusal extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly reason?: string,
	) {
		super(reason ?? `HTTP ${status}`);
	}
}

// SaferMe's 422 body names only the parameter; the reason is in X-Status-Reason.
const clientError = (param: string, reason: string) => new Refusal(422, { message: 'client error', param }, reason);

export interface SaferMeSandbox {
	url: string;
	email: string;
	password: string;
	teamId: number;
	appId: string;
	data: SampleData;
	requests: LoggedRequest[];
	sessions: Session[];
	addFault(fault: Fault): void;
	/** Every live access token expires now (their refresh tokens stay valid). */
	expireAccessTokens(): void;
	/** Every refresh token expires now too: only a new login helps. */
	expireRefreshTokens(): void;
	close(): Promise<void>;
}

export async function startSaferMeSandbox(options: SandboxOptions = {}): Promise<SaferMeSandbox> {
	const now = options.now ?? new Date();
	const data = buildSampleData(now);
	const accessTtl = options.accessTokenTtlMs ?? 2 * 3600_000;
	const refreshTtl = options.refreshTokenTtlMs ?? 30 * 86400_000;
	const maxPage = Math.min(options.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const sessions: Session[] = [];
	const requests: LoggedRequest[] = [];
	const faults: Array<Fault & { left: number }> = [];
	const sockets = new Set<Socket>();

	const newSession = (userId: number): Session => {
		const session = {
			userId,
			accessToken: `smt_${randomBytes(12).toString('hex')}`,
			refreshToken: `smr_${randomBytes(12).toString('hex')}`,
			accessExpiresAt: Date.now() + accessTtl,
			refreshExpiresAt: Date.now() + refreshTtl,
			alive: true,
		};
		sessions.push(session);
		return session;
	};
	const sessionAnswer = (session: Session) => {
		const user = data.users.find((u) => u.id === session.userId)!;
		return {
			access_token: session.accessToken,
			refresh_token: session.refreshToken,
			token_expire_at: new Date(session.accessExpiresAt).toISOString(),
			refresh_token_expire_at: new Date(session.refreshExpiresAt).toISOString(),
			profile: { user_id: user.id, first_name: user.first_name, last_name: user.last_name, preferred_team_id: user.team_ids[0] },
		};
	};

	const requireApp = (req: IncomingMessage) => {
		const appId = req.headers['x-appid'];
		if (appId === undefined) throw new Refusal(403, { errors: ['X-AppId header is required'] }, 'Missing X-AppId header');
		if (appId !== APP_ID) throw new Refusal(403, { errors: [`Unknown app ${String(appId)}`] }, 'Unknown X-AppId');
	};

	const authenticate = (req: IncomingMessage): Session => {
		const header = String(req.headers.authorization ?? '');
		const token = /^Token token=(\S+)$/.exec(header)?.[1];
		if (!token) throw new Refusal(401, { errors: ['Unauthorized'] }, 'Missing Authorization header');
		const session = sessions.find((s) => s.accessToken === token);
		if (!session || !session.alive) throw new Refusal(401, { errors: ['Unauthorized'] }, 'Invalid access token');
		if (session.accessExpiresAt <= Date.now()) throw new Refusal(401, { errors: ['Access token expired'], error_codes: ['token_expired'] }, 'Access token expired');
		requireApp(req);
		return session;
	};

	const requireTeam = (req: IncomingMessage, session: Session): number => {
		const header = req.headers['x-teamid'];
		if (header === undefined || header === '') throw new Refusal(403, { errors: ['X-TeamId header is required'] }, 'Missing X-TeamId header');
		const teamId = Number(header);
		const user = data.users.find((u) => u.id === session.userId)!;
		if (!Number.isInteger(teamId) || !user.team_ids.includes(teamId)) {
			throw new Refusal(403, { errors: ['You are not a member of this team'] }, `Not a member of team ${String(header)}`);
		}
		return teamId;
	};

	/** `Range: objects=0-99` → the slice asked for, capped at the page maximum. */
	const paged = <T>(req: IncomingMessage, res: ServerResponse, name: string, rows: T[]): T[] => {
		const range = req.headers.range;
		let from = 0;
		let to = DEFAULT_PAGE_SIZE - 1;
		if (range !== undefined) {
			const match = /^objects=(\d+)-(\d+)$/.exec(String(range).trim());
			if (!match || Number(match[2]) < Number(match[1])) throw new Refusal(416, { errors: [`Invalid Range header "${String(range)}"`] }, 'Invalid Range header');
			[from, to] = [Number(match[1]), Number(match[2])];
		}
		to = Math.min(to, from + maxPage - 1, rows.length - 1);
		const page = from <= to ? rows.slice(from, to + 1) : [];
		res.setHeader('Content-Range', page.length ? `${name} ${from}-${to}/${rows.length}` : `${name} */${rows.length}`);
		return page;
	};

	const readDate = (query: URLSearchParams, name: string): Date => {
		const text = query.get(name);
		if (text === null || text === '') throw clientError(name, `${name} is required`);
		// ISO 8601 with a time and an offset (or Z); a bare date or other text is refused.
		if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
			throw clientError(name, `${name} must be an ISO8601 timestamp`);
		}
		return new Date(text);
	};

	const readIds = (query: URLSearchParams): number[] | undefined => {
		const text = query.get('ids');
		return text ? text.split(',').map(Number) : undefined;
	};

	const analytics = (report: AnalyticsReport, query: URLSearchParams, teamId: number): unknown => {
		const channelText = query.get('channel_id');
		if (channelText === null || channelText === '') throw clientError('channel_id', 'channel_id is required');
		if (!/^\d+$/.test(channelText)) throw clientError('channel_id', 'channel_id must be an integer');
		const channel = data.channels.find((c) => c.id === Number(channelText));
		if (!channel) throw new Refusal(404, { errors: ['Channel not found'] }, 'Channel not found');
		if (channel.team_id !== teamId) throw new Refusal(403, { errors: ['Channel belongs to another team'] }, 'Channel belongs to another team');
		const start = readDate(query, 'start_date');
		const end = readDate(query, 'end_date');
		if (end < start) throw clientError('end_date', 'end_date must be after start_date');
		let fieldId: number | undefined;
		if (report === 'reports_per_field_selection') {
			const text = query.get('field_id');
			if (!text) throw clientError('field_id', 'field_id is required');
			const field = data.forms.filter((f) => f.team_id === teamId).flatMap((f) => f.fields).find((f) => String(f.id) === text);
			if (!field) throw new Refusal(404, { errors: ['Field not found'] }, 'Field not found');
			if (!SELECTION_FIELD_TYPES.includes(field.field_type)) {
				throw clientError('field_id', `field_type must be one of Category, DropDown, Radio (field ${field.id} is ${field.field_type})`);
			}
			fieldId = field.id;
		}
		let fields: string[] | undefined;
		if (report === 'reports_read' || report === 'user_awareness') {
			const allowed = report === 'reports_read' ? READ_FIELDS : AWARENESS_FIELDS;
			fields = (query.get('fields') ?? '').split(',').filter(Boolean);
			const unknown = fields.filter((f) => !allowed.includes(f));
			if (unknown.length) throw clientError('fields', `Unknown fields: ${unknown.join(', ')}`);
		}
		return computeAnalytics(data, report, { teamId, channelId: channel.id, start, end, fieldId, fields });
	};

	const formJson = (form: SampleData['forms'][number]) => ({
		id: form.id,
		uuid: form.uuid,
		name: form.name,
		team_id: form.team_id,
		version: form.version,
		updated_at: form.updated_at,
		fields: form.fields.map(({ options: fieldOptions, ...rest }) => ({
			...rest,
			// SaferMe sends a field's options as a JSON string.
			data: JSON.stringify({ options: fieldOptions }),
			visibility: 'public',
			field_visibility: 'visible',
			value: null,
			editable: true,
		})),
	});

	const route = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string): { status: number; body: unknown } => {
		const method = req.method ?? 'GET';
		if (path === '/api/v4/session' && method === 'POST') {
			requireApp(req);
			let parsed: { session?: { email?: unknown; password?: unknown; app_bundle_id?: unknown } };
			try {
				parsed = JSON.parse(body) as typeof parsed;
			} catch {
				throw new Refusal(400, { errors: ['Malformed JSON body'] }, 'Malformed JSON body');
			}
			const s = parsed.session ?? {};
			const user = data.users.find((u) => u.email === s.email && u.password !== undefined && u.password === s.password);
			if (!user || s.app_bundle_id !== APP_ID) {
				throw new Refusal(401, { errors: ['Invalid email or password'], failures: { base: ['Invalid email or password'] }, error_codes: ['bad_credentials'] }, 'Invalid email or password');
			}
			return { status: 201, body: sessionAnswer(newSession(user.id)) };
		}
		if (path === '/api/v4/session' && method === 'PATCH') {
			requireApp(req);
			const s = ((JSON.parse(body || '{}') as { session?: { access_token?: unknown; refresh_token?: unknown } }).session ?? {}) as Record<string, unknown>;
			const session = sessions.find((x) => x.accessToken === s.access_token && x.refreshToken === s.refresh_token);
			if (!session || !session.alive || session.refreshExpiresAt <= Date.now()) {
				throw new Refusal(401, { errors: ['Invalid refresh token'], error_codes: ['invalid_refresh_token'] }, 'Invalid or expired refresh token');
			}
			// Rotation: the old pair dies at once.
			session.alive = false;
			return { status: 200, body: sessionAnswer(newSession(session.userId)) };
		}
		const session = authenticate(req);
		if (path === '/api/v4/session' && method === 'GET') return { status: 200, body: sessionAnswer(session) };
		if (path === '/api/v4/session' && method === 'DELETE') {
			session.alive = false;
			return { status: 204, body: '' };
		}
		if (method !== 'GET') throw new Refusal(405, { errors: ['Method not allowed'] });
		const user = data.users.find((u) => u.id === session.userId)!;
		if (path === '/api/v4/teams') return { status: 200, body: data.teams.filter((t) => user.team_ids.includes(t.id)) };
		const teamId = requireTeam(req, session);
		const teamUsers = /^\/api\/v4\/teams\/(\d+)\/team_users$/.exec(path);
		if (teamUsers) {
			if (Number(teamUsers[1]) !== teamId) throw new Refusal(403, { errors: ['Team mismatch'] }, 'Team in the path is not X-TeamId');
			const rows = data.users.filter((u) => u.team_ids.includes(teamId)).map((u) => ({ id: u.id, user_id: u.id, team_id: teamId, first_name: u.first_name, last_name: u.last_name, email: u.email }));
			return { status: 200, body: paged(req, res, 'team_users', rows) };
		}
		if (path === '/api/v4/report_states') return { status: 200, body: data.states.filter((s) => s.team_id === teamId) };
		if (path === '/api/v4/channels') {
			const ids = readIds(query);
			const rows = data.channels
				.filter((c) => c.team_id === teamId && (!ids || ids.includes(c.id)))
				.map(({ form_id: _form, ...c }) => ({ ...c, reports_count: data.reports.filter((r) => r.channel_id === c.id).length, is_operable_by: true }));
			return { status: 200, body: paged(req, res, 'channels', rows) };
		}
		const channel = /^\/api\/v4\/channels\/(\d+)$/.exec(path);
		if (channel) {
			const found = data.channels.find((c) => c.id === Number(channel[1]) && c.team_id === teamId);
			if (!found) throw new Refusal(404, { errors: ['Channel not found'] }, 'Channel not found');
			const { form_id: _form, ...rest } = found;
			return { status: 200, body: rest };
		}
		if (path === '/api/v4/forms') {
			const ids = readIds(query);
			const team = query.get('team_id');
			if (team !== null && Number(team) !== teamId) throw new Refusal(403, { errors: ['Team mismatch'] }, 'team_id is not X-TeamId');
			return { status: 200, body: paged(req, res, 'forms', data.forms.filter((f) => f.team_id === teamId && (!ids || ids.includes(f.id))).map(formJson)) };
		}
		const form = /^\/api\/v4\/forms\/([^/]+)$/.exec(path);
		if (form) {
			const found = data.forms.find((f) => String(f.id) === form[1] && f.team_id === teamId);
			if (!found) throw new Refusal(404, { errors: ['Form not found'] }, 'Form not found');
			return { status: 200, body: formJson(found) };
		}
		const report = /^\/api\/v4\/analytics\/(\w+)$/.exec(path);
		if (report && (ANALYTICS_REPORTS as readonly string[]).includes(report[1])) {
			return { status: 200, body: analytics(report[1] as AnalyticsReport, query, teamId) };
		}
		throw new Refusal(404, { errors: ['Not found'] }, 'Not found');
	};

	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const logged: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0, at: Date.now() };
			requests.push(logged);
			const send = (status: number, json: unknown, reason?: string) => {
				logged.status = status;
				if (reason) res.setHeader('X-Status-Reason', reason);
				if (status === 204) return void res.writeHead(204).end();
				res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
			};
			const answer = () => {
				try {
					const { status, body: json } = route(req, res, url.pathname, url.searchParams, body);
					send(status, json);
				} catch (error) {
					if (error instanceof Refusal) send(error.status, error.body, error.reason);
					else send(500, { errors: ['Internal server error'] });
				}
			};
			const fault = faults.find((f) => f.left > 0 && url.pathname.startsWith(f.pathPrefix));
			if (!fault) return answer();
			fault.left--;
			switch (fault.kind) {
				case 'status':
					logged.status = fault.status ?? 500;
					if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
					return void res.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: ['Internal server error'] }));
				case 'html':
					logged.status = 502;
					return void res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head></html>');
				case 'reset':
					logged.status = -1;
					return void req.socket.destroy();
				case 'slow':
					return void setTimeout(answer, fault.delayMs ?? 2000);
				case 'expireToken':
					for (const s of sessions) s.accessExpiresAt = Math.min(s.accessExpiresAt, Date.now());
					return answer();
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		url,
		email: LOGIN_EMAIL,
		password: LOGIN_PASSWORD,
		teamId: TEAM_ID,
		appId: APP_ID,
		data,
		requests,
		sessions,
		addFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
		expireAccessTokens: () => sessions.forEach((s) => (s.accessExpiresAt = Math.min(s.accessExpiresAt, Date.now()))),
		expireRefreshTokens: () =>
			sessions.forEach((s) => {
				s.accessExpiresAt = Math.min(s.accessExpiresAt, Date.now());
				s.refreshExpiresAt = Math.min(s.refreshExpiresAt, Date.now());
			}),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
