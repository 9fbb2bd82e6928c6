import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { startOpenPanelSandbox, type OpenPanelSandbox } from './openpanel-sandbox/server';
import { credentialOf, runOpenPanel } from './helpers/openPanelRun';

/** The OpenPanel node of every example workflow, with its parameters as saved, against the imitation. */

const EXAMPLES = join(__dirname, '..', 'examples');
const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith('.workflow.json'));

let sandbox: OpenPanelSandbox;
beforeAll(async () => (sandbox = await startOpenPanelSandbox()));
afterAll(async () => await sandbox.close());

describe('example workflows', () => {
	it('exist', () => expect(examples.length).toBeGreaterThanOrEqual(2));

	it.each(examples)('%s: its OpenPanel node runs and returns items', async (file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
		const nodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-openpanel.openPanel');
		expect(nodes.length).toBeGreaterThan(0);
		for (const node of nodes) {
			const { json, error } = await runOpenPanel(credentialOf(sandbox), node.parameters as never);
			expect(error).toBeUndefined();
			expect(json.length).toBeGreaterThan(0);
		}
	});
});
