import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { credentialsFor, runSaferMe, withSandbox } from './saferMeSandbox';

/** The SaferMe node of every example workflow, with its parameters as saved, against the imitation. */

const EXAMPLES = join(__dirname, '..', 'examples');
const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith('.workflow.json'));

describe('example workflows', () => {
	it('exist', () => expect(examples.length).toBeGreaterThanOrEqual(2));

	it.each(examples)('%s: its SaferMe node runs and returns the rows the next node reads', async (file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
		const nodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-saferme.saferMe');
		expect(nodes.length).toBeGreaterThan(0);
		await withSandbox(async (sandbox) => {
			for (const node of nodes) {
				const { json, error } = await runSaferMe(node.parameters as never, credentialsFor(sandbox));
				expect(error).toBeUndefined();
				expect(json.length).toBeGreaterThan(0);
				// The Code and Google Sheets nodes read these fields.
				for (const row of json) expect({ state: typeof row.state_name, count: typeof row.report_count }).toEqual({ state: 'string', count: 'number' });
			}
		});
	});
});
