import type { IDataObject, IExecuteFunctions, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { readNumberOption } from '../helpers/numberParameters';
import { shareOfPace, type Pace } from './rateLimiter';
import type { ServiceContext } from './serviceRequest';

/**
 * Options → Workers Sharing This Project / Client / Team: how many n8n instances (queue-mode
 * workers, several mains) use one budget at once. They cannot see each other; with the count each
 * takes its part of the pace from the start (shareOfPace) instead of finding it through 429s.
 * The internal name is the same in every package, so workflow JSON sets it the same way.
 */
export const WORKERS_SHARING_OPTION = 'workersSharingBudget';

/** The largest count accepted: beyond it every worker would wait minutes between requests. */
const MAX_WORKERS = 100;

export interface WorkersSharingText {
	/** What owns the budget, Title Case: `Project`, `Client`, `Team`. */
	tenant: string;
	/** The rest of the description: what the count does for this service's limit, with figures. */
	effect: string;
}

/** The option, for a node's or trigger's Options collection. */
export function workersSharingOption({ tenant, effect }: WorkersSharingText): INodeProperties {
	return {
		displayName: `Workers Sharing This ${tenant}`,
		name: WORKERS_SHARING_OPTION,
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_WORKERS, numberPrecision: 0 },
		default: 1,
		description: `How many n8n instances or queue-mode workers run these workflows on this ${tenant.toLowerCase()} at the same time. ${effect}`,
	};
}

/**
 * The count set in the Options of the item (operations) or of the trigger (polls); 1 when not set
 * and for list searches. Bad values are errors naming the option.
 */
export function readWorkersSharing(context: ServiceContext, tenant: string, itemIndex?: number): number {
	let options: IDataObject;
	if ('getInputData' in context) {
		if (itemIndex === undefined) return 1;
		options = (context as IExecuteFunctions).getNodeParameter('options', itemIndex, {}) as IDataObject;
	} else if ('__emit' in context) {
		options = (context as IPollFunctions).getNodeParameter('options', {}) as IDataObject;
	} else {
		return 1;
	}
	return readNumberOption(
		context.getNode(),
		options ?? {},
		{ name: WORKERS_SHARING_OPTION, label: `Workers Sharing This ${tenant}`, fallback: 1, min: 1, max: MAX_WORKERS, whole: true },
		itemIndex,
	);
}

/** `pace` shared by the count of workers the node's Options give. */
export function paceForWorkers(context: ServiceContext, pace: Pace, tenant: string, itemIndex?: number): Pace {
	return shareOfPace(pace, readWorkersSharing(context, tenant, itemIndex));
}
