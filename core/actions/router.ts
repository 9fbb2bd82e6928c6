import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { mapInOrder } from '../helpers/concurrency';
import { asNodeError, type ToNodeError } from './nodeErrors';

/** One operation of a node: runs for one input item and returns that item's output items. */
export type Operation = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]> };

/** A node's operations by resource, then by operation value. */
export type OperationsByResource = Record<string, Record<string, Operation>>;

/**
 * Runs the chosen resource's operation for every input item, up to `maxItemsInFlight` at once,
 * output in input order. A failing item becomes `{ error, description }` with its pairedItem when
 * the node continues on fail; otherwise its error, as `toNodeError` makes it, stops the node,
 * pointing at the item.
 */
export async function routeItems(
	this: IExecuteFunctions,
	operations: OperationsByResource,
	maxItemsInFlight: number,
	toNodeError: ToNodeError = asNodeError,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`, {
			description: 'Choose a resource and operation from the lists.',
		});
	}

	const perItem = await mapInOrder(items.length, maxItemsInFlight, async (itemIndex) => {
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
