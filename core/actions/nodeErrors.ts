import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Any error as a node error pointing at its item: n8n's own pass through (their item filled in),
 * anything else is wrapped. A service that throws its own error classes converts those first.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** Turns what an operation threw into the node error n8n shows. */
export type ToNodeError = (node: INode, error: unknown, itemIndex?: number) => NodeApiError | NodeOperationError;
