import type { IDataObject } from 'n8n-workflow';

import { RULES } from '../../sandbox/data';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runGrowingIoNode } from '../helpers/harness';
import { tokenCredentials } from '../helpers/sandboxClient';
import { withStaticServer } from '../helpers/staticServer';

/** Rule (圈选规则) → Get Many through n8n's engine: rules.csv over HTTP from the sandbox. */

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetRequests();
});

const run = (parameters: IDataObject, options: { input?: IDataObject[]; baseUrl?: string; continueOnFail?: boolean } = {}) =>
	runGrowingIoNode(
		{ resource: 'rule', operation: 'getMany', ...parameters },
		{ ...options, credentials: tokenCredentials(sandbox, options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
	);

const expectedRules = RULES.map(({ ruleId, eventName, eventType }) => ({ ruleId, eventName, eventType }));
const pairedItems = (items: Array<{ pairedItem?: unknown }>) => items.map((item) => (item.pairedItem as { item: number }).item);


describe('Rule → Get Many', () => {
	it('returns one item per rule with ruleId, eventName and eventType, in file order', async () => {
		const { json, items, error } = await run({ returnAll: true });
		expect(error).toBeUndefined();
		expect(json).toEqual(expectedRules);
		expect(pairedItems(items)).toEqual(json.map(() => 0));
		expect(sandbox.requests.map((r) => r.path)).toEqual([`/projects/${sandbox.project.uid}/rules.csv`]);
	});

	it('stops at Limit', async () => {
		const { json } = await run({ returnAll: false, limit: 3 });
		expect(json).toEqual(expectedRules.slice(0, 3));
	});

	it('answers every input item, each rule paired with its item', async () => {
		const { json, items } = await run({ returnAll: false, limit: 2 }, { input: [{}, {}] });
		expect(json).toEqual([...expectedRules.slice(0, 2), ...expectedRules.slice(0, 2)]);
		expect(pairedItems(items)).toEqual([0, 0, 1, 1]);
	});

	it('continueOnFail turns a bad item into an error item that names the option, and keeps the others', async () => {
		const { json, items } = await run(
			{ returnAll: false, limit: 1, options: { maxTries: '={{ $json.tries }}' } },
			{ input: [{ tries: 3 }, { tries: 50 }, { tries: 3 }], continueOnFail: true },
		);
		expect(json).toEqual([
			expectedRules[0],
			{ error: expect.stringMatching(/Options → Max Tries must be a number from 1 to 10/), description: expect.any(String) },
			expectedRules[0],
		]);
		expect(pairedItems(items)).toEqual([0, 1, 2]);
	});

	it('without continueOnFail a failed request stops the node with a clear error', async () => {
		sandbox.injectFault({ kind: 'bad_request', path: 'rules\\.csv' });
		const { error } = await run({ returnAll: true });
		expect(error?.message).toMatch(/GrowingIO rejected the request for the rule list \(HTTP 400/);
	});

	it('reads a tab-separated file too (GrowingIO\'s docs call rules.csv tab-separated)', async () => {
		const text = ['ruleId\teventName\teventType', ...RULES.map((rule) => `${rule.ruleId}\t${rule.eventName}\t${rule.eventType}`)].join('\r\n');
		await withStaticServer(`\uFEFF${text}\r\n`, async (baseUrl, requests) => {
			const { json, error } = await run({ returnAll: true }, { baseUrl });
			expect(error).toBeUndefined();
			expect(json).toEqual(expectedRules);
			expect(requests).toEqual([{ path: `/projects/${sandbox.project.uid}/rules.csv`, authorization: sandbox.apiToken }]);
		});
	});

	it('a malformed file is an error that names the line', async () => {
		await withStaticServer('ruleId,eventName,eventType\nf2503720,元素_注册按钮,clck\na81c3e90,"元素_立即购买,clck\n', async (baseUrl, requests) => {
			const { error } = await run({ returnAll: true }, { baseUrl });
			expect(requests).toHaveLength(1);
			expect(error?.message).toMatch(/malformed CSV file for the rule list: line 3: quoted field unterminated/);
		});
	});
});
