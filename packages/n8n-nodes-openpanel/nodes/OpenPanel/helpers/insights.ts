import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { openPanelRequest, type QueryValue } from '../transport';
import { insightsProjectSegment, readProjectId } from './parameters';

/**
 * One GET of an /insights route of the node's project (a read client's own project when empty).
 * `query` must be read before the call, so that bad parameters fail before any request.
 */
export async function getInsight(context: IExecuteFunctions, itemIndex: number, route: string, query: Record<string, QueryValue>, what: string): Promise<unknown> {
	const projectId = await readProjectId(context, itemIndex);
	return await openPanelRequest(context, {
		path: `/insights/${insightsProjectSegment(projectId)}/${route}`,
		query,
		itemIndex,
		subject: `${what} of ${projectId ? `project "${projectId}"` : "the client's project"}`,
	});
}

/** An answer without the expected shape: most often a Base URL that is not the API. */
export function unexpectedAnswer(context: IExecuteFunctions, itemIndex: number, said: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), `OpenPanel answered ${said}`, {
		itemIndex,
		description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api), and that the server is from April 2026 or newer.',
	});
}

/** Rows of a top list (an array of flat objects), or undefined when the answer is not one. */
export function rowsOf(answer: unknown): IDataObject[] | undefined {
	return Array.isArray(answer) && answer.every((row) => row !== null && typeof row === 'object') ? (answer as IDataObject[]) : undefined;
}

/** An options parameter's value, refused with the allowed values when an expression gave another. */
export function readChoice(context: IExecuteFunctions, itemIndex: number, name: string, label: string, options: Array<{ value: string }>, fallback: string): string {
	const value = String(context.getNodeParameter(name, itemIndex, fallback));
	if (!options.some((option) => option.value === value)) {
		throw new NodeOperationError(context.getNode(), `${label} "${value}" is not one OpenPanel accepts`, {
			itemIndex,
			description: `Use one of ${options.map((o) => o.value).join(', ')}.`,
		});
	}
	return value;
}
