import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { readNumberInRange } from '../../../../core/helpers/numberParameters';
import { eventNameProperty, insightsProjectSegment, projectIdProperty, rangeProperties, readProjectId, readRangeQuery } from '../../helpers/parameters';
import { openPanelRequest } from '../../transport';

const show = { resource: ['funnel'], operation: ['get'] };

const MIN_STEPS = 2;
const MAX_STEPS = 10;

export const description: INodeProperties[] = [
	projectIdProperty(show),
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Step',
		default: {},
		required: true,
		description: 'The events a user goes through, in order (2 to 10)',
		displayOptions: { show },
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					eventNameProperty,
				],
			},
		],
	},
	{
		displayName: 'Window (Hours)',
		name: 'windowHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 720 },
		default: 24,
		description: 'How long after the first step the last one may happen',
		displayOptions: { show },
	},
	{
		displayName: 'Count By',
		name: 'groupBy',
		type: 'options',
		options: [
			{ name: 'Session', value: 'session_id', description: 'The steps must happen in one session' },
			{ name: 'Profile', value: 'profile_id', description: 'The steps may span sessions of one user' },
		],
		default: 'session_id',
		displayOptions: { show },
	},
	...rangeProperties(show, '30d'),
];

interface FunnelAnswer {
	steps?: IDataObject[];
	totalUsers?: number;
	completedUsers?: number;
	overallConversionRate?: number;
}

/** A funnel: one item per step, each with the funnel's totals beside it (so one row per step in a sheet). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = await readProjectId(this, itemIndex);
	const rows = ((this.getNodeParameter('steps', itemIndex, {}) as IDataObject).step as IDataObject[] | undefined) ?? [];
	const steps = rows.map((row) => String(row.event ?? '').trim());
	if (steps.length < MIN_STEPS || steps.length > MAX_STEPS) {
		throw new NodeOperationError(this.getNode(), `Steps must have ${MIN_STEPS} to ${MAX_STEPS} events (got ${steps.length})`, {
			itemIndex,
			description: `Add or remove steps so there are between ${MIN_STEPS} and ${MAX_STEPS}.`,
		});
	}
	const empty = steps.findIndex((step) => !step);
	if (empty >= 0) {
		throw new NodeOperationError(this.getNode(), `Steps → Step ${empty + 1} → Event Name is empty`, { itemIndex, description: 'Choose the event of every step.' });
	}
	const windowHours = readNumberInRange(this.getNode(), this.getNodeParameter('windowHours', itemIndex, 24), { label: 'Window (Hours)', min: 1, max: 720, whole: true }, itemIndex);
	const groupBy = this.getNodeParameter('groupBy', itemIndex, 'session_id') === 'profile_id' ? 'profile_id' : 'session_id';

	const answer = (await openPanelRequest(this, {
		path: `/insights/${insightsProjectSegment(projectId)}/funnel`,
		query: { steps, windowHours, groupBy, ...readRangeQuery(this, itemIndex) },
		itemIndex,
		subject: `the funnel of ${projectId ? `project "${projectId}"` : "the client's project"}`,
	})) as FunnelAnswer;
	if (!Array.isArray(answer?.steps)) {
		throw new NodeOperationError(this.getNode(), 'OpenPanel answered the funnel without a steps list', {
			itemIndex,
			description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api).',
		});
	}
	const totals = { totalUsers: answer.totalUsers ?? null, completedUsers: answer.completedUsers ?? null, overallConversionRate: answer.overallConversionRate ?? null };
	return answer.steps.map((step) => {
		const users = Number(step.users ?? 0);
		const index = Number(step.step ?? 0) - 1;
		const before = index > 0 ? Number(answer.steps?.[index - 1]?.users ?? 0) : users;
		return { json: { ...step, dropoffUsers: index > 0 ? before - users : 0, ...totals }, pairedItem: { item: itemIndex } };
	});
}
