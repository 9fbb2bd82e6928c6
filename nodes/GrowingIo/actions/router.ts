import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { mapInOrder } from '../helpers/concurrency';
import { toNodeError } from '../transport/errors';
import * as chart from './chart/Chart.resource';
import * as dashboard from './dashboard/Dashboard.resource';
import * as funnel from './funnel/Funnel.resource';
import * as rawExport from './rawExport/RawExport.resource';
import * as retention from './retention/Retention.resource';
import * as rule from './rule/Rule.resource';
import * as segment from './segment/Segment.resource';

type Operation = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	chart: { getData: chart.getData },
	dashboard: { get: dashboard.get, getData: dashboard.getData, getMany: dashboard.getMany },
	funnel: { getData: funnel.getData },
	rawExport: { download: rawExport.download, getDownloadLinks: rawExport.getDownloadLinks, getRows: rawExport.getRows },
	retention: { getData: retention.getData },
	rule: { getMany: rule.getMany },
	segment: { getMany: segment.getMany, getUsers: segment.getUsers },
};

/** Enough overlap to keep 2 requests per second going while GrowingIO takes seconds to answer. */
const MAX_ITEMS_IN_FLIGHT = 8;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`, {
			description: 'Choose a resource and operation from the lists.',
		});
	}

	const perItem = await mapInOrder(items.length, MAX_ITEMS_IN_FLIGHT, async (itemIndex) => {
		try {
			return await handler.execute.call(this, itemIndex);
		} catch (error) {
			if (this.continueOnFail()) {
				const { message, description } = error as { message: string; description?: string | null };
				return [{ json: { error: message, ...(description ? { description } : {}) }, pairedItem: { item: itemIndex } }];
			}
			throw toNodeError(this.getNode(), error, itemIndex);
		}
	});
	return [perItem.flat()];
}
