/**
 * The imitation's sample data: organizations, projects, clients (read, write, root) and a week of
 * events per project, made of sessions of real-looking visits. Deterministic for a given `now`,
 * so tests can compute what the server will answer from the same stored events.
 */
import { randomUUID, scryptSync } from 'crypto';

import { intHash, unitHash } from '../../../../sandbox/seededRandom';

export type ClientType = 'read' | 'write' | 'root';

export interface StoredClient {
	id: string;
	type: ClientType;
	organizationId: string;
	/** A read or write client belongs to one project; a root client to its organization. */
	projectId: string | null;
	/** scrypt hash `salt:hash` as OpenPanel stores it; null = a client without a secret. */
	secretHash: string | null;
}

export interface StoredProject {
	id: string;
	organizationId: string;
	name: string;
}

export interface StoredProfile {
	id: string;
	projectId: string;
	email: string;
	firstName: string;
	lastName: string;
	avatar: string;
	isExternal: boolean;
	properties: Record<string, unknown>;
	createdAt: string;
	lastSeenAt: string;
	groups: string[];
}

/** An event with every column OpenPanel stores; the export picks a few by default. */
export interface StoredEvent {
	id: string;
	name: string;
	deviceId: string;
	profileId: string;
	sessionId: string;
	projectId: string;
	createdAt: string;
	path: string;
	origin: string;
	referrer: string;
	referrerName: string;
	referrerType: string;
	city: string;
	country: string;
	region: string;
	longitude: number;
	latitude: number;
	os: string;
	osVersion: string;
	browser: string;
	browserVersion: string;
	device: string;
	brand: string;
	model: string;
	duration: number;
	properties: Record<string, unknown>;
	groups: string[];
	importedAt: string | null;
	sdkName: string;
	sdkVersion: string;
	revenue: number;
}

export function hashSecret(secret: string): string {
	const salt = randomUUID().replace(/-/g, '').slice(0, 16);
	return `${salt}:${scryptSync(secret, salt, 64).toString('hex')}`;
}

export const ORGANIZATIONS = ['org-acme', 'org-globex'];

export const PROJECTS: StoredProject[] = [
	{ id: 'acme-web', organizationId: 'org-acme', name: 'Acme website' },
	{ id: 'acme-app', organizationId: 'org-acme', name: 'Acme mobile app' },
	{ id: 'globex-shop', organizationId: 'org-globex', name: 'Globex shop' },
];

/** The clients the imitation starts with: id, secret and what they may do. */
export const SAMPLE_CLIENTS = {
	read: { id: '3f2b6c1e-8d4a-4b7e-9c5f-1a2b3c4d5e6f', secret: 'sec_read_acme_web_7Qx2', type: 'read', organizationId: 'org-acme', projectId: 'acme-web' },
	readApp: { id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', secret: 'sec_read_acme_app_9Kp4', type: 'read', organizationId: 'org-acme', projectId: 'acme-app' },
	write: { id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', secret: 'sec_write_acme_web_2Lm8', type: 'write', organizationId: 'org-acme', projectId: 'acme-web' },
	root: { id: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b', secret: 'sec_root_acme_5Rt1', type: 'root', organizationId: 'org-acme', projectId: null },
	globex: { id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', secret: 'sec_read_globex_3Vw6', type: 'read', organizationId: 'org-globex', projectId: 'globex-shop' },
} as const satisfies Record<string, { id: string; secret: string; type: ClientType; organizationId: string; projectId: string | null }>;

const COUNTRIES = [
	{ country: 'DE', city: 'Berlin', region: 'Berlin', latitude: 52.52, longitude: 13.4 },
	{ country: 'SE', city: 'Stockholm', region: 'Stockholm', latitude: 59.33, longitude: 18.07 },
	{ country: 'US', city: 'New York', region: 'New York', latitude: 40.71, longitude: -74.0 },
	{ country: 'GB', city: 'London', region: 'England', latitude: 51.51, longitude: -0.13 },
	{ country: 'JP', city: 'Tokyo', region: 'Tokyo', latitude: 35.68, longitude: 139.69 },
];
const PLATFORMS = [
	{ os: 'macOS', osVersion: '14.5', browser: 'Chrome', browserVersion: '126', device: 'desktop', brand: 'Apple', model: 'Macintosh' },
	{ os: 'Windows', osVersion: '11', browser: 'Edge', browserVersion: '125', device: 'desktop', brand: '', model: '' },
	{ os: 'iOS', osVersion: '17.5', browser: 'Safari', browserVersion: '17', device: 'mobile', brand: 'Apple', model: 'iPhone' },
	{ os: 'Android', osVersion: '14', browser: 'Chrome', browserVersion: '126', device: 'mobile', brand: 'Samsung', model: 'SM-S921B' },
];
const REFERRERS = [
	{ referrer: '', referrerName: '', referrerType: '' },
	{ referrer: 'https://www.google.com/', referrerName: 'Google', referrerType: 'search' },
	{ referrer: 'https://news.ycombinator.com/', referrerName: 'Hacker News', referrerType: 'social' },
];
const PATHS = ['/', '/pricing', '/docs', '/blog/launch', '/features'];
const FIRST_NAMES = ['Ada', 'Linus', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret'];
const LAST_NAMES = ['Lovelace', 'Torvalds', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton'];

const DAY_MS = 86_400_000;
export const SAMPLE_DAYS = 7;

/** A UUID made from the parts, so sample ids stay the same for the same data. */
function stableUuid(...parts: Array<string | number>): string {
	const hex = Array.from({ length: 4 }, (_, i) => Math.floor(unitHash(...parts, i) * 0x1_0000_0000).toString(16).padStart(8, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SampleData {
	profiles: StoredProfile[];
	events: StoredEvent[];
}

/**
 * A week of visits per project up to `now`: each session starts with session_start, views a few
 * pages, and some go on to sign_up, add_to_cart, checkout and purchase (a funnel that narrows).
 */
export function sampleData(now: number, sessionsPerDay = 24): SampleData {
	const profiles: StoredProfile[] = [];
	const events: StoredEvent[] = [];
	const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (SAMPLE_DAYS - 1) * DAY_MS;
	for (const project of PROJECTS) {
		const projectProfiles: StoredProfile[] = [];
		for (let p = 0; p < 30; p++) {
			const created = new Date(firstDay - intHash(1, 60, project.id, p, 'age') * DAY_MS).toISOString();
			projectProfiles.push({
				id: `user-${project.id}-${p + 1}`,
				projectId: project.id,
				email: `${FIRST_NAMES[p % 8].toLowerCase()}.${LAST_NAMES[(p * 3) % 8].toLowerCase()}${p}@example.com`,
				firstName: FIRST_NAMES[p % 8],
				lastName: LAST_NAMES[(p * 3) % 8],
				avatar: '',
				isExternal: true,
				properties: { plan: p % 3 === 0 ? 'pro' : 'free' },
				createdAt: created,
				lastSeenAt: created,
				groups: [],
			});
		}
		profiles.push(...projectProfiles);
		for (let day = 0; day < SAMPLE_DAYS; day++) {
			for (let s = 0; s < sessionsPerDay; s++) {
				const start = firstDay + day * DAY_MS + intHash(0, DAY_MS / 1000 - 3600, project.id, day, s, 'start') * 1000;
				if (start > now - 60_000) continue;
				const profile = projectProfiles[intHash(0, projectProfiles.length - 1, project.id, day, s, 'profile')];
				const place = COUNTRIES[intHash(0, COUNTRIES.length - 1, profile.id, 'country')];
				const platform = PLATFORMS[intHash(0, PLATFORMS.length - 1, profile.id, 'platform')];
				const source = REFERRERS[intHash(0, REFERRERS.length - 1, project.id, day, s, 'referrer')];
				const sessionId = stableUuid(project.id, day, s, 'session');
				const names = ['session_start'];
				for (let v = intHash(1, 4, sessionId, 'views'); v > 0; v--) names.push('screen_view');
				const depth = unitHash(sessionId, 'depth');
				if (depth < 0.5) names.push('sign_up');
				if (depth < 0.35) names.push('add_to_cart');
				if (depth < 0.2) names.push('checkout');
				if (depth < 0.12) names.push('purchase');
				names.forEach((name, index) => {
					const at = Math.min(start + index * intHash(20, 240, sessionId, index) * 1000, now - 1000);
					const revenue = name === 'purchase' ? intHash(5, 200, sessionId, 'revenue') : 0;
					events.push({
						id: stableUuid(sessionId, index, 'event'),
						name,
						deviceId: `device-${profile.id}`,
						profileId: profile.id,
						sessionId,
						projectId: project.id,
						createdAt: new Date(at).toISOString(),
						path: name === 'screen_view' ? PATHS[intHash(0, PATHS.length - 1, sessionId, index, 'path')] : name === 'purchase' ? '/checkout/done' : '/',
						origin: `https://${project.id}.example.com`,
						...source,
						...place,
						...platform,
						duration: 0,
						properties: name === 'purchase' ? { amount: revenue, currency: 'EUR' } : name === 'screen_view' ? { title: 'Page' } : {},
						groups: [],
						importedAt: null,
						sdkName: 'web',
						sdkVersion: '1.0.0',
						revenue,
					});
				});
			}
		}
	}
	return { profiles, events };
}
