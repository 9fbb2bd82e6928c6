/**
 * The GrowingIO API paths the sandbox serves. Named groups `uid` and `ai` are checked against
 * the project before a handler runs; every route is GET.
 */
import { withUnfinishedPreviousDay } from './dailyJobs';
import type { DashboardDefinition } from './data';
import type { Exporter, ExportedReportKind } from './exporter';
import type { RawExports } from './rawExport';
import { getChart, getDashboard, getFunnel, getRetention, getRules, getSegmentUsers, listDashboards, listSegments } from './statistics';
import type { ApiResult } from './types';

export interface RouteServices {
	now: () => number;
	/** The project's dashboards (default: the sample catalog's). */
	dashboards: DashboardDefinition[];
	/** See SandboxOptions.previousDayLagHours. */
	previousDayLagHours: number;
	rawExports: RawExports;
	exporter: Exporter;
}

type Groups = Record<string, string>;

interface Route {
	pattern: RegExp;
	handle: (services: RouteServices, groups: Groups, query: URLSearchParams) => ApiResult;
}

const ROUTES: Route[] = [
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/dashboards\.json$/, handle: (s) => listDashboards(s.dashboards) },
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/dashboards\/(?<id>[^/]+)\.json$/, handle: (s, g) => getDashboard(g.id, s.dashboards) },
	{ pattern: /^\/v2\/projects\/(?<uid>[^/]+)\/charts\/(?<id>[^/]+)\.json$/, handle: (s, g, q) => withUnfinishedPreviousDay(getChart(g.id, q, s.now(), 'v2'), s.now(), s.previousDayLagHours) },
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/charts\/(?<id>[^/]+)\.json$/, handle: (s, g, q) => getChart(g.id, q, s.now(), 'v1') },
	{ pattern: /^\/v2\/projects\/(?<uid>[^/]+)\/funnels\/(?<id>[^/]+)\.json$/, handle: (s, g, q) => getFunnel(g.id, q, s.now()) },
	{ pattern: /^\/v2\/projects\/(?<uid>[^/]+)\/retentions\/(?<id>[^/]+)\.json$/, handle: (s, g, q) => getRetention(g.id, q, s.now()) },
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/segmentations\.json$/, handle: () => listSegments() },
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/segmentations\/(?<id>[^/]+)\/users\.csv$/, handle: (_s, g) => getSegmentUsers(g.id) },
	{ pattern: /^\/projects\/(?<uid>[^/]+)\/rules\.csv$/, handle: () => getRules() },
	{
		pattern: /^\/v3\/exporter\/projects\/(?<uid>[^/]+)\/(?<kind>charts|funnels|retentions)\/(?<id>[^/]+)$/,
		handle: (s, g, q) => s.exporter.report(g.kind as ExportedReportKind, g.id, q),
	},
	{
		pattern: /^\/v3\/exporter\/projects\/(?<uid>[^/]+)\/segmentations\/(?<id>[^/]+)\/users$/,
		handle: (s, g, q) => s.exporter.segmentUsers(g.id, q),
	},
	{
		pattern: /^\/v2\/insights\/(?<exportType>[^/]+)\/(?<dataType>[^/]+)\/(?<ai>[^/]+)\/(?<date>[^/]+)\.json$/,
		handle: (s, g, q) => s.rawExports.handle(g.exportType, g.dataType, g.date, q),
	},
	{
		pattern: /^\/v2\/insights\/(?<exportType>[^/]+)\/(?<ai>[^/]+)\/(?<date>[^/]+)\.json$/,
		handle: (s, g, q) => s.rawExports.handle(g.exportType, undefined, g.date, q),
	},
];

export interface RouteMatch {
	handle: (services: RouteServices, query: URLSearchParams) => ApiResult;
	uid?: string;
	ai?: string;
}

export function matchRoute(path: string): RouteMatch | undefined {
	for (const route of ROUTES) {
		const match = route.pattern.exec(path);
		if (!match) continue;
		const groups: Groups = { ...match.groups };
		return { handle: (services, query) => route.handle(services, groups, query), uid: groups.uid, ai: groups.ai };
	}
	return undefined;
}
