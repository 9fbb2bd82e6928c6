import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Return All / Limit of the list operations: undefined for Return All, else a whole number ≥ 1.
 * The field refuses 0 and negatives in the editor, but an expression can still give them; then a
 * Limit of 0 would silently return nothing and a negative one all but the last items.
 */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const raw: unknown = this.getNodeParameter('limit', itemIndex, 50);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(this.getNode(), `Limit must be a whole number of at least 1 (got "${String(raw)}")`, {
			itemIndex,
			description: 'Set Limit to the number of items to return, or turn on Return All.',
		});
	}
	return limit;
}
