import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Stands in for n8n-nodes-base's HTTP Request node (V3, typeVersion 4.x) with Authentication
 * "Predefined Credential Type": per item it builds n8n's legacy request options (`uri`, not
 * `url`) and calls `helpers.requestWithAuthentication`, all items at once, then waits for all,
 * as HttpRequestV3.node.ts does. The real node runs in the e2e test against real n8n.
 */
export class HttpRequestStandIn implements INodeType {
	description = {
		displayName: 'HTTP Request (stand-in)',
		name: 'httpRequestStandIn',
		group: ['output'],
		version: 1,
		description: 'Legacy-path requests with a predefined credential',
		defaults: { name: 'HTTP Request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'growingIoApi', required: true }],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const requests = items.map(async (_, itemIndex) => {
			const uri = this.getNodeParameter('url', itemIndex) as string;
			return (await this.helpers.requestWithAuthentication.call(this, 'growingIoApi', { method: 'GET', uri, json: true, headers: {} }, undefined, itemIndex)) as object;
		});
		const settled = await Promise.allSettled(requests);
		return [
			settled.map((result, item) =>
				result.status === 'fulfilled'
					? { json: { body: result.value }, pairedItem: { item } }
					: { json: { error: (result.reason as Error).message }, pairedItem: { item } },
			),
		];
	}
}
