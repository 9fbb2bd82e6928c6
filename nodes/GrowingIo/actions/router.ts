import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeItems, type OperationsByResource } from '../../../core/actions/router';
import { toNodeError } from '../transport/errors';
import * as chart from './chart/Chart.resource';
import * as dashboard from './dashboard/Dashboard.resource';
import * as funnel from './funnel/Funnel.resource';
import * as rawExport from './rawExport/RawExport.resource';
import * as retention from './retention/Retention.resource';
import * as rule from './rule/Rule.resource';
import * as segment from './segment/Segment.resource';

const operations: OperationsByResource = {
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
	return await routeItems.call(this, operations, MAX_ITEMS_IN_FLIGHT, toNodeError);
}
