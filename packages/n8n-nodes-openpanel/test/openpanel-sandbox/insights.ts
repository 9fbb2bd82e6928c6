/**
 * The imitation's overview, active-users, retention, top-pages and top-referrers insights and the
 * /manage/projects list. All read the stored events (sessions are derived from them as OpenPanel's
 * session buffer builds its sessions table), so their numbers agree with the export, charts and
 * funnel. Each route validates its query first (400), then authenticates (401), as OpenPanel does.
 */
import { bucketStart, nextBucket, RANGES, resolveRange } from './analytics';
import { PROJECTS, type StoredClient, type StoredEvent } from './data';
import { HttpError } from './httpError';
import { optionalEnum, optionalNumber, optionalString, QueryError } from './queryString';

const DAY_MS = 86_400_000;
/** OpenPanel returns at most this many rows of a top list. */
const MAX_RECORDS = 1000;

export const OVERVIEW_INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export const REFERRER_BREAKDOWNS = ['referrer_name', 'referrer_type', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign'] as const;

/** A row of OpenPanel's sessions table, as its session buffer fills it from a session's events. */
export interface StoredSession {
	id: string;
	projectId: string;
	profileId: string;
	createdAt: number;
	/** Last event minus first, in ms. */
	duration: number;
	screenViewCount: number;
	isBounce: boolean;
	revenue: number;
	referrer: string;
	referrer_name: string;
	referrer_type: string;
	utm_source: string;
	utm_medium: string;
	utm_campaign: string;
}

function utm(event: StoredEvent, name: string): string {
	const value = event.properties.__query as Record<string, unknown> | undefined;
	return value?.[name] ? String(value[name]) : '';
}

/** One session per session id: started by its first event, whose referrer and UTM tags it keeps. */
export function sessionsOf(events: StoredEvent[]): StoredSession[] {
	const bySession = new Map<string, StoredEvent[]>();
	for (const event of events) (bySession.get(event.sessionId) ?? bySession.set(event.sessionId, []).get(event.sessionId)!).push(event);
	return [...bySession.values()].map((list) => {
		const sorted = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
		const first = sorted[0];
		const start = Date.parse(first.createdAt);
		const screenViewCount = sorted.filter((e) => e.name === 'screen_view' && e.path).length;
		return {
			id: first.sessionId,
			projectId: first.projectId,
			profileId: first.profileId,
			createdAt: start,
			duration: Date.parse(sorted[sorted.length - 1].createdAt) - start,
			screenViewCount,
			isBounce: screenViewCount <= 1,
			revenue: sorted.filter((e) => e.name === 'revenue').reduce((sum, e) => sum + e.revenue, 0),
			referrer: first.referrer,
			referrer_name: first.referrerName,
			referrer_type: first.referrerType,
			utm_source: utm(first, 'utm_source'),
			utm_medium: utm(first, 'utm_medium'),
			utm_campaign: utm(first, 'utm_campaign'),
		};
	});
}

/** ClickHouse-style date-time text: `2026-01-31 00:00:00`. */
function chDateTime(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function parsedDate(text: string, endOfDay = false): number {
	const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : /Z|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
	// An invalid date fails when the query is built: a 500.
	if (Number.isNaN(at)) throw new HttpError(500, 'Internal server error');
	return at;
}

/**
 * The period of an insights route (resolveDates): without a range, or with a startDate, the dates
 * as given (defaults: 30 days ago and today, both at 00:00); else the range preset.
 */
export function insightsPeriod(query: { range?: string; startDate?: string; endDate?: string }, now: number): { from: number; to: number; startDate: string; endDate: string } {
	if (!query.range || query.startDate) {
		const startDate = query.startDate ?? new Date(now - 30 * DAY_MS).toISOString().slice(0, 10);
		const endDate = query.endDate ?? new Date(now).toISOString().slice(0, 10);
		return { from: parsedDate(startDate), to: parsedDate(endDate), startDate, endDate };
	}
	const [from, presetTo] = resolveRange(query.range as (typeof RANGES)[number], now);
	const to = query.endDate ? parsedDate(query.endDate, true) : presetTo;
	return { from, to, startDate: chDateTime(from), endDate: chDateTime(to) };
}

function dateRangeQuery(query: Record<string, unknown>) {
	return { startDate: optionalString(query, 'startDate'), endDate: optionalString(query, 'endDate'), range: optionalEnum(query, 'range', RANGES) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The overview figures of some sessions (and the revenue events of the same period). */
function overviewFigures(sessions: StoredSession[], revenueEvents: StoredEvent[]) {
	const count = sessions.length;
	const withDuration = sessions.filter((s) => s.duration > 0);
	const views = sessions.reduce((sum, s) => sum + s.screenViewCount, 0);
	return {
		bounce_rate: count ? round2((sessions.filter((s) => s.isBounce).length * 100) / count) : 0,
		unique_visitors: new Set(sessions.map((s) => s.profileId)).size,
		total_sessions: count,
		avg_session_duration: withDuration.length ? round2(withDuration.reduce((sum, s) => sum + s.duration, 0) / withDuration.length) / 1000 : 0,
		total_screen_views: views,
		views_per_session: count ? round2(views / count) : 0,
		total_revenue: revenueEvents.reduce((sum, e) => sum + e.revenue, 0),
	};
}

export interface InsightsContext {
	now: () => number;
	events: StoredEvent[];
	/** The insights routes' client check (401s). */
	authenticate(headers: Record<string, unknown>): StoredClient;
	/** The insights routes' project scoping (a read client's path project ignored). */
	insightsProject(client: StoredClient, pathProject: string): string;
	/** The manage routes' client check: only root clients. */
	authenticateManage(headers: Record<string, unknown>): StoredClient;
	/** Recorded requests of a client (any route: one counter) in the rate window up to now, this one included. */
	requestsInWindow(clientId: string): number;
	manageRateLimit: number;
	rateWindowMs: number;
}

export function insightsRoutes(context: InsightsContext) {
	const eventsOf = (projectId: string) => context.events.filter((e) => e.projectId === projectId);
	const within = (at: number, from: number, to: number) => at >= from && at <= to;

	function overview(pathProject: string, query: Record<string, unknown>, headers: Record<string, unknown>) {
		const dates = dateRangeQuery(query);
		const interval = optionalEnum(query, 'interval', OVERVIEW_INTERVALS) ?? 'day';
		const projectId = context.insightsProject(context.authenticate(headers), pathProject);
		const period = insightsPeriod(dates, context.now());
		const events = eventsOf(projectId);
		const sessions = sessionsOf(events).filter((s) => within(s.createdAt, period.from, period.to));
		const revenue = events.filter((e) => e.name === 'revenue' && e.revenue > 0 && within(Date.parse(e.createdAt), period.from, period.to));
		// WITH FILL from the start's bucket up to (not including) the end; week and month fill to the end's date.
		const fillTo = interval === 'week' || interval === 'month' ? Math.floor(period.to / DAY_MS) * DAY_MS : period.to;
		const slots = new Set<number>(sessions.map((s) => bucketStart(s.createdAt, interval)));
		for (let at = bucketStart(period.from, interval); at < fillTo; at = nextBucket(at, interval)) slots.add(at);
		const series = [...slots]
			.sort((a, b) => a - b)
			.map((slot) => {
				const inSlot = sessions.filter((s) => bucketStart(s.createdAt, interval) === slot);
				const figures = overviewFigures(inSlot, revenue.filter((e) => bucketStart(Date.parse(e.createdAt), interval) === slot));
				return { date: new Date(slot).toISOString(), ...figures };
			});
		return { summary: overviewFigures(sessions, revenue), series, interval, startDate: period.startDate, endDate: period.endDate };
	}

	function activeUsers(pathProject: string, query: Record<string, unknown>, headers: Record<string, unknown>) {
		const days = optionalNumber(query, 'days') ?? 7;
		if (!Number.isInteger(days)) throw new QueryError('querystring/days Invalid input: expected int, received number');
		if (days < 1) throw new QueryError('querystring/days Too small: expected number to be >=1');
		if (days > 90) throw new QueryError('querystring/days Too big: expected number to be <=90');
		const projectId = context.insightsProject(context.authenticate(headers), pathProject);
		// dau_mv: the distinct profiles of each day; each day counts towards itself and the days-1 days after it.
		const perDay = new Map<number, Set<string>>();
		for (const event of eventsOf(projectId)) {
			const day = Math.floor(Date.parse(event.createdAt) / DAY_MS) * DAY_MS;
			(perDay.get(day) ?? perDay.set(day, new Set()).get(day)!).add(event.profileId);
		}
		const rolling = new Map<number, Set<string>>();
		for (const [day, profiles] of perDay) {
			for (let n = 0; n < days; n++) {
				const date = day + n * DAY_MS;
				const set = rolling.get(date) ?? rolling.set(date, new Set()).get(date)!;
				for (const profile of profiles) set.add(profile);
			}
		}
		// GROUP BY without ORDER BY: no order is promised (newest first here).
		const series = [...rolling.entries()].sort((a, b) => b[0] - a[0]).map(([date, set]) => ({ date: new Date(date).toISOString().slice(0, 10), users: set.size }));
		return { window_days: days, label: days === 1 ? 'DAU' : days === 7 ? 'WAU' : days === 30 ? 'MAU' : `${days}d active`, series };
	}

	/** Weekly retention: identified users (profile ≠ device) per week from Sunday, and how many were back the week after. */
	function retention(pathProject: string, _query: Record<string, unknown>, headers: Record<string, unknown>) {
		const projectId = context.insightsProject(context.authenticate(headers), pathProject);
		const weeks = new Map<number, Set<string>>();
		for (const event of eventsOf(projectId)) {
			if (event.profileId === event.deviceId) continue;
			const day = Math.floor(Date.parse(event.createdAt) / DAY_MS) * DAY_MS;
			const week = day - new Date(day).getUTCDay() * DAY_MS;
			(weeks.get(week) ?? weeks.set(week, new Set()).get(week)!).add(event.profileId);
		}
		return [...weeks.entries()]
			.sort((a, b) => a[0] - b[0])
			.map(([week, users]) => {
				const next = weeks.get(week + 7 * DAY_MS) ?? new Set<string>();
				const retained = [...users].filter((user) => next.has(user)).length;
				return { date: new Date(week).toISOString().slice(0, 10), active_users: users.size, retained_users: retained, retention: (100 * retained) / users.size };
			});
	}

	function topPages(pathProject: string, query: Record<string, unknown>, headers: Record<string, unknown>) {
		const dates = dateRangeQuery(query);
		const projectId = context.insightsProject(context.authenticate(headers), pathProject);
		const period = insightsPeriod(dates, context.now());
		const pages = new Map<string, { origin: string; path: string; sessions: Set<string>; pageviews: number; revenue: number }>();
		for (const event of eventsOf(projectId)) {
			if (event.name !== 'screen_view' || !event.path || !within(Date.parse(event.createdAt), period.from, period.to)) continue;
			const key = `${event.origin}\u0000${event.path}`;
			const page = pages.get(key) ?? pages.set(key, { origin: event.origin, path: event.path, sessions: new Set(), pageviews: 0, revenue: 0 }).get(key)!;
			page.sessions.add(event.sessionId);
			page.pageviews++;
			page.revenue += event.revenue;
		}
		return [...pages.values()]
			.map((p) => ({ origin: p.origin, path: p.path, sessions: p.sessions.size, pageviews: p.pageviews, revenue: p.revenue }))
			.sort((a, b) => b.sessions - a.sessions || b.pageviews - a.pageviews || a.path.localeCompare(b.path))
			.slice(0, MAX_RECORDS);
	}

	function topReferrers(pathProject: string, query: Record<string, unknown>, headers: Record<string, unknown>) {
		const dates = dateRangeQuery(query);
		const breakdown = optionalEnum(query, 'breakdown', REFERRER_BREAKDOWNS) ?? 'referrer_name';
		const projectId = context.insightsProject(context.authenticate(headers), pathProject);
		const period = insightsPeriod(dates, context.now());
		const groups = new Map<string, { name: string | null; sessions: number; pageviews: number; revenue: number }>();
		for (const session of sessionsOf(eventsOf(projectId))) {
			if (!within(session.createdAt, period.from, period.to)) continue;
			const value = session[breakdown];
			const group = groups.get(value) ?? groups.set(value, { name: value || null, sessions: 0, pageviews: 0, revenue: 0 }).get(value)!;
			group.sessions++;
			group.pageviews += session.screenViewCount;
			group.revenue += session.revenue;
		}
		return [...groups.values()].sort((a, b) => b.sessions - a.sessions || String(a.name).localeCompare(String(b.name))).slice(0, MAX_RECORDS);
	}

	/** GET /manage/projects: root clients only, 20 requests per window on the client's one counter. */
	function manageProjects(headers: Record<string, unknown>) {
		const clientId = typeof headers['openpanel-client-id'] === 'string' ? headers['openpanel-client-id'] : '';
		if (context.manageRateLimit > 0 && clientId && context.requestsInWindow(clientId) > context.manageRateLimit) {
			const seconds = String(Math.ceil(context.rateWindowMs / 1000));
			throw new HttpError(429, 'You have exceeded the rate limit for this endpoint.', 'Too Many Requests', { 'retry-after': seconds, 'x-ratelimit-limit': String(context.manageRateLimit) });
		}
		const client = context.authenticateManage(headers);
		const data = PROJECTS.map((project, index) => ({ project, index }))
			.filter(({ project }) => project.organizationId === client.organizationId)
			.map(({ project, index }) => {
				const createdAt = new Date(Date.UTC(2025, 0, 10 + index * 20)).toISOString();
				return {
					id: project.id,
					name: project.name,
					organizationId: project.organizationId,
					eventsCount: eventsOf(project.id).length,
					types: [project.id.endsWith('-app') ? 'app' : 'website'],
					domain: `https://${project.id}.example.com`,
					cors: [],
					crossDomain: false,
					allowUnsafeRevenueTracking: false,
					filters: [],
					createdAt,
					updatedAt: createdAt,
					deleteAt: null,
				};
			})
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		return { data };
	}

	const insights: Record<string, (pathProject: string, query: Record<string, unknown>, headers: Record<string, unknown>) => unknown> = {
		overview,
		active_users: activeUsers,
		retention,
		'pages/top': topPages,
		'traffic/referrers': topReferrers,
	};

	/** The answer of one of these routes, or undefined when the path is none of them. */
	return function route(path: string, query: Record<string, unknown>, headers: Record<string, unknown>): { body: unknown } | undefined {
		if (path === '/manage/projects') return { body: manageProjects(headers) };
		const match = /^\/insights\/([^/]+)\/(overview|active_users|retention|pages\/top|traffic\/referrers)$/.exec(path);
		if (!match) return undefined;
		return { body: insights[match[2]](decodeURIComponent(match[1]), query, headers) };
	};
}
