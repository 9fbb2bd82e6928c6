import type { INodeProperties } from 'n8n-workflow';

import { workersSharingOption } from '../../../core/transport/workersSharing';
import { DEFAULT_REQUESTS_PER_SECOND } from '../transport';

/** Options every operation has: how fast and how persistently to ask SaferMe. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Max Tries',
		name: 'maxTries',
		type: 'number',
		default: 4,
		typeOptions: { minValue: 1, maxValue: 10 },
		description: 'How often to send a request that fails with a 429, a 5xx or a broken connection before giving up',
	},
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		default: DEFAULT_REQUESTS_PER_SECOND,
		typeOptions: { minValue: 0.1, maxValue: 50, numberPrecision: 1 },
		description: 'SaferMe documents no rate limit; this polite pace is shared by every SaferMe node of this n8n instance for the team',
	},
	{
		displayName: 'Timeout (Milliseconds)',
		name: 'timeoutMs',
		type: 'number',
		default: 60000,
		typeOptions: { minValue: 100 },
		description: 'How long to wait for one answer',
	},
	workersSharingOption({
		tenant: 'Team',
		effect:
			'Each then takes a whole part of Requests per Second from the start (5 per second, 3 workers: 1 per second each), so together they stay within it. With 1 (the default) each instance still slows down on its own after a 429 and speeds up again.',
	}),
];

/** Return All / Limit of the list operations. */
export function listFields(resource: string, operation: string): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit', displayOptions: { show } },
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, displayOptions: { show }, options: requestOptions },
	];
}
