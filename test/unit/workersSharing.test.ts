import type { INode } from 'n8n-workflow';

import { readWorkersSharing } from '../../core/transport/workersSharing';
import type { ServiceContext } from '../../core/transport/serviceRequest';

const node = { name: 'Node', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

/** Minimal stand-ins for n8n's contexts: what readWorkersSharing looks at. */
const executeContext = (options: object) =>
	({ getInputData: () => [], getNode: () => node, getNodeParameter: (_name: string, _item: number, fallback: unknown) => options ?? fallback }) as unknown as ServiceContext;
const pollContext = (options: object) => ({ __emit: () => undefined, getNode: () => node, getNodeParameter: () => options }) as unknown as ServiceContext;
const loadOptionsContext = () => ({ getNode: () => node, getNodeParameter: () => ({ workersSharingBudget: 5 }) }) as unknown as ServiceContext;

describe('Workers Sharing option', () => {
	it('reads the item\'s Options in an operation, the trigger\'s Options in a poll, and 1 in a list search', () => {
		expect(readWorkersSharing(executeContext({ workersSharingBudget: 3 }), 'Project', 0)).toBe(3);
		expect(readWorkersSharing(executeContext({}), 'Project', 0)).toBe(1);
		expect(readWorkersSharing(pollContext({ workersSharingBudget: 2 }), 'Project')).toBe(2);
		expect(readWorkersSharing(pollContext({}), 'Client')).toBe(1);
		expect(readWorkersSharing(loadOptionsContext(), 'Team')).toBe(1);
	});

	it('refuses 0, fractions and text that is no number, naming the option', () => {
		for (const bad of [0, 2.5, 'three']) {
			expect(() => readWorkersSharing(pollContext({ workersSharingBudget: bad }), 'Client')).toThrow(/Options → Workers Sharing This Client must be a whole number from 1 to 100/);
		}
	});
});
