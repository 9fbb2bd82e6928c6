import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { workersSharingOption } from '../../../core/transport/workersSharing';
import { DEFAULT_TIMEZONE } from '../helpers/timeRange';

/**
 * Options → Workers Sharing This Project, for operations and trigger events. With 2 workers each
 * takes one start per second (2 in any second together); with 3 no uncoordinated pace rules out
 * three starts in one second, so each takes one per 2 s, which leaves room between them.
 */
export const workersSharingProjectOption: INodeProperties = workersSharingOption({
	tenant: 'Project',
	effect:
		'Each then paces at its part of GrowingIO\'s 2 requests per second from the start: with 2, one per second each, so they never get a 429 from each other; with 3 or more no pace of independent workers rules that out (three can still meet in one second), so each takes one request per 2 s (3 workers), which leaves room, and a rare 429 moves that worker\'s requests apart and is retried. With 1 (the default) each instance still slows down on its own after a 429 and speeds up again.',
});

/** Request settings every operation offers in its Options; read by the transport. */
export const requestSettingsOptions: INodeProperties[] = [
	{
		displayName: 'Max Tries',
		name: 'maxTries',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: 5,
		description: 'How many times to send a request before giving up on 429 Too Many Requests, 5xx answers, resets and timeouts',
	},
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		// No numberPrecision: it would show 2 as "2.00"; decimals such as 0.5 are typed as they are.
		typeOptions: { minValue: 0.01, maxValue: 2 },
		default: 2,
		description:
			'Pace of requests to this GrowingIO project, shared by all GrowingIO nodes and executions in this n8n instance. GrowingIO allows 2; lower it to leave room for other clients.',
	},
	workersSharingProjectOption,
	{
		displayName: 'Timeout (Milliseconds)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 60000,
		description: 'How long to wait for GrowingIO to answer one request before trying again, in milliseconds',
	},
];

/**
 * The Options collection of an operation or trigger event, sorted by name as n8n lists them:
 * `extra` plus the request settings, which only operations offer (the trigger's polls use the
 * defaults).
 */
export const optionsCollection = (show: Record<string, string[]>, extra: INodeProperties[] = [], { requestSettings = true } = {}): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show },
	options: [...extra, ...(requestSettings ? requestSettingsOptions : [])].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

export const returnAllField = (resource: string, operation: string): INodeProperties => ({
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
	displayOptions: { show: { resource: [resource], operation: [operation] } },
});

export const limitField = (resource: string, operation: string): INodeProperties => ({
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
});

/**
 * A resource locator (From List / By URL / By ID) for one kind of GrowingIO object.
 * IDs and URLs are checked when the node runs (helpers/ids.ts), not with the locator's regex
 * validation: n8n would then refuse the whole workflow with a generic "has issues" error, while
 * the runtime check names the parameter, says what is wrong (e.g. a chart URL, another
 * project) and applies to expressions too.
 */
export function resourceLocator(options: {
	name: string;
	displayName: string;
	description: string;
	searchListMethod: string;
	urlExample: string;
	show: Record<string, string[]>;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		displayOptions: { show: options.show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. https://www.growingio.com/projects/nxog09md/${options.urlExample}`,
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${options.urlExample.split('/').pop()}`,
			},
		],
	};
}

export const dashboardLocator = (resource: string, operation: string): INodeProperties =>
	resourceLocator({
		name: 'dashboardId',
		displayName: 'Dashboard',
		description: 'The dashboard (看板) to use',
		searchListMethod: 'searchDashboards',
		urlExample: 'dashboard/YoX28w7R',
		show: { resource: [resource], operation: [operation] },
	});

/**
 * IANA current names that ICU lists under an older name (Asia/Calcutta for Asia/Kolkata …), and
 * UTC, which ICU does not list at all. Both spellings stay valid choices, so a name typed into
 * the former free-text field is still one of the options.
 */
const EXTRA_TIMEZONES = [
	'Africa/Asmara',
	'America/Argentina/Buenos_Aires',
	'America/Argentina/Catamarca',
	'America/Argentina/Cordoba',
	'America/Argentina/Jujuy',
	'America/Argentina/Mendoza',
	'America/Atikokan',
	'America/Indiana/Indianapolis',
	'America/Kentucky/Louisville',
	'America/Nuuk',
	'Asia/Ho_Chi_Minh',
	'Asia/Kathmandu',
	'Asia/Kolkata',
	'Asia/Yangon',
	'Atlantic/Faroe',
	'Europe/Kyiv',
	'Pacific/Chuuk',
	'Pacific/Kanton',
	'Pacific/Pohnpei',
	'UTC',
];

function isKnownTimezone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

/** Every timezone this Node.js knows, by IANA name, sorted: the Timezone fields' options. */
export const TIMEZONE_OPTIONS: INodePropertyOptions[] = [...new Set([...Intl.supportedValuesOf('timeZone'), ...EXTRA_TIMEZONES])]
	.filter(isKnownTimezone)
	.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
	.map((name) => ({ name, value: name }));

/**
 * The Timezone field of every operation and trigger event: a list (a typo cannot wait until run
 * time), Beijing time by default. An expression may still give any IANA name; the run checks it.
 */
export const timezoneField = (description: string, show?: Record<string, string[]>): INodeProperties => ({
	displayName: 'Timezone',
	name: 'timezone',
	type: 'options',
	options: TIMEZONE_OPTIONS,
	default: DEFAULT_TIMEZONE,
	description,
	...(show ? { displayOptions: { show } } : {}),
});
