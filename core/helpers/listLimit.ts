import type { IExecuteFunctions } from 'n8n-workflow';

import { readNumberInRange } from './numberParameters';

/**
 * Return All / Limit of the list operations: undefined for Return All, else a whole number ≥ 1.
 * The field refuses 0 and negatives in the editor, but an expression can still give them; then a
 * Limit of 0 would silently return nothing and a negative one all but the last items.
 */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	return readNumberInRange(
		this.getNode(),
		this.getNodeParameter('limit', itemIndex, 50),
		{ label: 'Limit', min: 1, whole: true, fix: 'Set Limit to the number of items to return, or turn on Return All.' },
		itemIndex,
	);
}
