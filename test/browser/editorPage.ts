/**
 * What the browser test does in n8n's editor, in the words of the editor's own data-test-id
 * attributes (n8n 2.8.4). Texts are matched only where n8n has no test id, and then loosely:
 * the node's display names change over time, its parameter names do not.
 */
import type { Locator, Page, Response } from 'playwright-core';

/** Where a step's or trigger's run ended, as the NDV's output panel shows it. */
export interface RunOutcome {
	ok: boolean;
	/** "7 items" → 7; 0 when the panel shows no count. */
	itemCount: number;
	/** The output table (Table view): column names and the cell texts of each top-level row. */
	headers: string[];
	rows: string[][];
	/** The whole data panel's text: the table, or the error n8n shows instead. */
	text: string;
}

/** Matches a text that starts with `text` (taken literally). */
export function startsWith(text: string): RegExp {
	return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** The owner account form: a fresh n8n sends its first visitor to /setup. */
export async function setUpOwner(page: Page, baseUrl: string, owner: { email: string; firstName: string; lastName: string; password: string }) {
	await page.goto(baseUrl);
	await page.waitForURL((url) => url.pathname.startsWith('/setup'));
	const form = page.getByTestId('setup-form');
	for (const [field, value] of Object.entries(owner)) await form.getByTestId(field).locator('input').fill(value);
	await form.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
}

export function nodeCreator(page: Page): Locator {
	return page.getByTestId('node-creator');
}

/** Types into the node panel's search and opens the GrowingIO entry (node and trigger together). */
export async function openGrowingIoInNodePanel(page: Page): Promise<string[]> {
	const panel = nodeCreator(page);
	await panel.getByTestId('node-creator-search-bar').fill('GrowingIO');
	const entry = panel.getByTestId('item-iterator-item').filter({ hasText: /GrowingIO/i }).first();
	await entry.waitFor();
	await entry.click();
	await panel.getByTestId('node-creator-category-item').first().waitFor();
	await expandCategories(page);
	return (await panel.getByTestId('item-iterator-item').allInnerTexts()).map((text) => text.trim());
}

/** Opens the Triggers and Actions sections: which one starts collapsed depends on the canvas. */
async function expandCategories(page: Page) {
	for (const category of await nodeCreator(page).getByTestId('node-creator-category-item').all()) {
		// The section's container carries the state.
		if ((await category.locator('..').getAttribute('data-category-collapsed')) === 'true') await category.click();
	}
}

/** Clicks an action of the opened GrowingIO entry; the NDV opens on the new node. */
export async function chooseAction(page: Page, action: RegExp): Promise<Locator> {
	await expandCategories(page);
	await nodeCreator(page).getByTestId('item-iterator-item').filter({ hasText: action }).first().click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	return ndv;
}

export async function closeNdv(page: Page) {
	const ndv = page.getByTestId('ndv');
	await ndv.getByTestId('ndv-close-button').click();
	await ndv.waitFor({ state: 'hidden' });
}

/** The editor's request for one page of a From List. */
function isListPage(response: Response): boolean {
	return response.request().method() === 'POST' && response.url().includes('/rest/dynamic-node-parameters/resource-locator-results');
}

/** Polls `condition` (state kept in this process) every 100 ms, up to `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs: number) {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * Opens a resource locator's From List mode and returns every entry it offers, scrolling down
 * for the next page while the node's answer carries a pagination token, as a user scrolls.
 */
export async function openList(page: Page, ndv: Locator, parameter: string, timeoutMs: number): Promise<string[]> {
	const items = page.getByTestId('rlc-item').filter({ visible: true });
	const error = page.getByTestId('rlc-error-container').filter({ visible: true });
	// Every page's answer, in order: the editor also asks by itself while the list does not scroll.
	const answers: Array<Promise<{ data?: { results?: unknown[]; paginationToken?: unknown } }>> = [];
	const onResponse = (response: Response) => {
		if (isListPage(response)) answers.push(response.json().catch(() => ({})));
	};
	page.on('response', onResponse);
	try {
		await ndv.getByTestId(`resource-locator-${parameter}`).getByTestId('rlc-input').click();
		// The editor appends each page's results; a page may bring none (its dashboards hold only
		// charts listed already).
		let total = 0;
		for (let read = 0; ; read++) {
			await until('the list\'s next page', () => answers.length > read, timeoutMs);
			const body = await answers[read];
			total += body.data?.results?.length ?? 0;
			await items.nth(Math.max(0, total - 1)).or(error.first()).waitFor();
			if (await error.first().isVisible()) throw new Error(`From List shows an error: ${(await error.first().innerText()).replace(/\s+/g, ' ')}`);
			if (body.data?.paginationToken === undefined) break;
			// At the end of the list the editor asks for the next page.
			if (answers.length === read + 1) await items.last().scrollIntoViewIfNeeded();
		}
	} finally {
		page.off('response', onResponse);
	}
	return (await items.allInnerTexts()).map((text) => text.trim());
}

export async function pickFromList(page: Page, name: string) {
	await page.getByTestId('rlc-item').filter({ visible: true }).filter({ hasText: startsWith(name) }).first().click();
}

/** Presses Execute step (or Fetch Test Event) and reads the output panel once the run ended. */
export async function executeAndRead(ndv: Locator, timeoutMs: number): Promise<RunOutcome> {
	await ndv.getByTestId('node-execute-button').click();
	const output = ndv.getByTestId('output-panel');
	const success = output.getByTestId('node-run-status-success');
	const failure = output.getByTestId('node-run-status-danger');
	// A failed node shows its error in place of data.
	const error = output.getByTestId('node-error-message');
	await success.or(failure).or(error).first().waitFor({ timeout: timeoutMs });
	const data = output.getByTestId('ndv-data-container');
	const ok = await success.isVisible();
	if (!ok) return { ok, itemCount: 0, headers: [], rows: [], text: (await data.innerText().catch(() => '')).replace(/\s+/g, ' ') };

	const tableView = output.getByTestId('radio-button-table');
	if (await tableView.isVisible()) await tableView.click();
	const table = data.locator('table').first();
	await table.waitFor();
	const headers = (await table.locator(':scope > thead > tr > th').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
	const rows: string[][] = [];
	for (const row of await table.locator(':scope > tbody > tr').all()) {
		rows.push((await row.locator(':scope > td').allInnerTexts()).map((t) => t.trim()));
	}
	const countText = (await output.getByTestId('ndv-items-count').innerText().catch(() => '')) || '';
	const itemCount = Number(/(\d+)\s+items?/.exec(countText)?.[1] ?? 0);
	return { ok, itemCount, headers, rows, text: await table.innerText() };
}

/** The credential modal (opened from a node's credential select). */
export class CredentialModal {
	readonly root: Locator;

	constructor(private readonly page: Page) {
		this.root = page.getByTestId('editCredential-modal');
	}

	/** Credential select → Create new credential. */
	async openFrom(ndv: Locator) {
		await ndv.getByTestId('node-credentials-select').click();
		await this.page.getByTestId('node-credentials-select-item-new').filter({ visible: true }).first().click();
		await this.root.getByTestId('credential-save-button').waitFor();
	}

	async fill(values: Record<string, string>) {
		for (const [name, value] of Object.entries(values)) {
			await this.root.getByTestId(`parameter-input-${name}`).locator('input, textarea').first().fill(value);
		}
	}

	/** The banner after a failed test: "Couldn't connect…" with More details and Retry. */
	failure(): Locator {
		return this.root.getByTestId('node-credentials-config-container').locator('.el-tag--danger').filter({ visible: true }).filter({ has: this.page.getByRole('button') });
	}

	success(): Locator {
		return this.root.getByTestId('credentials-config-container-test-success');
	}

	/**
	 * Save tests the credential (n8n 2.8 has no separate Test button: Save saves and tests, and
	 * the result banner carries Retry, which tests again). Resolves with the outcome shown.
	 */
	async saveAndTest(timeoutMs: number): Promise<'success' | 'failure'> {
		await this.root.getByTestId('credential-save-button').click();
		return await this.outcome(timeoutMs);
	}

	/**
	 * Presses the Retry button of the banner that shows now (it tests again) and waits for the
	 * new result; `testArrived` resolves once the test's request reached the service.
	 */
	async retest(timeoutMs: number, testArrived: () => Promise<void>): Promise<'success' | 'failure'> {
		const banner = (await this.success().isVisible()) ? this.success() : this.failure();
		await banner.getByRole('button').first().click();
		await testArrived();
		await this.root.getByRole('button', { name: /retrying/i }).waitFor({ state: 'hidden', timeout: timeoutMs });
		return await this.outcome(timeoutMs);
	}

	/** The failure banner's whole text, with its More details opened. */
	async failureText(): Promise<string> {
		const banner = this.failure();
		const more = banner.getByText(/more details/i);
		if (await more.isVisible()) await more.click();
		return (await banner.innerText()).replace(/\s+/g, ' ').trim();
	}

	async close() {
		await this.root.locator('.el-dialog__close').first().click();
		await this.root.waitFor({ state: 'hidden' });
	}

	private async outcome(timeoutMs: number): Promise<'success' | 'failure'> {
		const save = this.root.getByTestId('credential-save-button');
		// Saved appears once both the save and the test are done.
		await save.getByText(/^\s*saved\s*$/i).waitFor({ timeout: timeoutMs });
		await this.success().or(this.failure()).first().waitFor({ timeout: timeoutMs });
		return (await this.success().isVisible()) ? 'success' : 'failure';
	}
}
