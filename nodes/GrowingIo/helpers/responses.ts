import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

/**
 * GrowingIO answers are checked before use: a proxy page or an API change must become a clear
 * error, never items with missing fields.
 */

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const CHECK_BASE_URL = 'Check that the Base URL in the credential points to the GrowingIO API. If it does, GrowingIO may have changed this API: please report it.';

/**
 * An answer of GrowingIO's that this node cannot use: `problem` says what was wrong with it,
 * `description` (by default: check the Base URL, else report it) what to do.
 */
export function unexpectedAnswer(node: INode, subject: string, problem: string, options: { itemIndex?: number; description?: string } = {}): NodeOperationError {
	return new NodeOperationError(node, `GrowingIO sent an unexpected answer for ${subject}: ${problem}`, {
		itemIndex: options.itemIndex,
		description: options.description ?? CHECK_BASE_URL,
	});
}

function unexpected(node: INode, what: string, expected: string, body: unknown, itemIndex?: number): NodeOperationError {
	return unexpectedAnswer(node, what, `expected ${expected}, got ${describe(body)}`, { itemIndex });
}

export function expectList(node: INode, body: unknown, what: string, itemIndex?: number): IDataObject[] {
	if (!Array.isArray(body) || body.some((entry) => !entry || typeof entry !== 'object')) {
		throw unexpected(node, what, 'a list of objects', body, itemIndex);
	}
	return body as IDataObject[];
}

export function expectObject(node: INode, body: unknown, what: string, requiredKeys: string[], itemIndex?: number): IDataObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw unexpected(node, what, 'an object', body, itemIndex);
	}
	const missing = requiredKeys.filter((key) => !(key in (body as IDataObject)));
	if (missing.length) {
		throw unexpected(node, what, `an object with ${missing.join(', ')}`, body, itemIndex);
	}
	return body as IDataObject;
}
