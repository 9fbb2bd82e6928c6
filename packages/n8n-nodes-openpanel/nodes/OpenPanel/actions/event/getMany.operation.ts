import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { filtersProperty, limitProperties, projectIdProperty, readDayPair, readFilters, readProjectId } from '../../helpers/parameters';
import { readEventPages } from '../../helpers/eventPages';
import { DAY_MS, utcDay } from '../../helpers/utcDays';

const show = { resource: ['event'], operation: ['getMany'] };

const INCLUDE_OPTIONS = [
	{ name: 'Browser Version', value: 'browserVersion' },
	{ name: 'Device', value: 'device' },
	{ name: 'Device Brand', value: 'brand' },
	{ name: 'Device Model', value: 'model' },
	{ name: 'Event Meta', value: 'meta' },
	{ name: 'Imported At', value: 'importedAt' },
	{ name: 'Latitude', value: 'latitude' },
	{ name: 'Longitude', value: 'longitude' },
	{ name: 'Origin', value: 'origin' },
	{ name: 'OS Version', value: 'osVersion' },
	{ name: 'Profile', value: 'profile' },
	{ name: 'Properties', value: 'properties' },
	{ name: 'Referrer', value: 'referrer' },
	{ name: 'Referrer Name', value: 'referrerName' },
	{ name: 'Referrer Type', value: 'referrerType' },
	{ name: 'Region', value: 'region' },
	{ name: 'Revenue', value: 'revenue' },
	{ name: 'SDK Name', value: 'sdkName' },
	{ name: 'SDK Version', value: 'sdkVersion' },
];

export const description: INodeProperties[] = [
	projectIdProperty(show),
	{
		displayName: 'Event Names or IDs',
		name: 'eventNames',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEventNames', loadOptionsDependsOn: ['projectId'] },
		default: [],
		description: 'Only these events; none for all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show },
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'string',
		default: '',
		placeholder: '2026-01-31',
		description:
			'First day to read (YYYY-MM-DD, a UTC day, included). Set both dates or neither: without dates the node reads yesterday and today (UTC).',
		displayOptions: { show },
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'string',
		default: '',
		placeholder: '2026-01-31',
		description: 'Last day to read (YYYY-MM-DD, a UTC day, included)',
		displayOptions: { show },
	},
	{
		displayName: 'Profile ID',
		name: 'profileId',
		type: 'string',
		default: '',
		description: "Only this profile's events (with the anonymous events before it was identified)",
		displayOptions: { show },
	},
	filtersProperty(show),
	{
		displayName: 'Include',
		name: 'includes',
		type: 'multiOptions',
		options: INCLUDE_OPTIONS,
		default: [],
		description: 'More fields per event; by default only ID, name, device, profile, session, project, time, path, place, OS and browser',
		displayOptions: { show },
	},
	...limitProperties(show),
];

/** Events newest first, one item per event, each once (see readEventPages). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = await readProjectId(this, itemIndex);
	const days = readDayPair(this, itemIndex) ?? { start: utcDay(Date.now() - DAY_MS), end: utcDay(Date.now()) };
	const limit = readLimit.call(this, itemIndex);
	const names = (this.getNodeParameter('eventNames', itemIndex, []) as string[]).map(String).filter(Boolean);
	const profileId = String(this.getNodeParameter('profileId', itemIndex, '') ?? '').trim();
	const filters = readFilters(this, itemIndex);
	const includes = this.getNodeParameter('includes', itemIndex, []) as string[];

	const query = {
		// Both names: old servers read project_id, current ones prefer projectId.
		...(projectId ? { projectId, project_id: projectId } : {}),
		...(names.length ? { event: names } : {}),
		...(profileId ? { profileId } : {}),
		...(filters.length ? { filters } : {}),
		...(includes.length ? { includes } : {}),
		start: days.start,
		end: days.end,
	};
	const subject = `the events of ${projectId ? `project "${projectId}"` : "the client's project"}`;

	const events = await readEventPages(this, query, { limit, itemIndex, subject });
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(events), { itemData: { item: itemIndex } });
}
