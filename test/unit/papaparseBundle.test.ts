import Papa from 'papaparse';

/** The papaparse file the build puts into dist/ (gulpfile.js), loaded as n8n would load it. */
function loadBundle(): { Papa: typeof Papa; required: string[] } {
	const { papaparseBundle } = require('../../gulpfile') as { papaparseBundle: () => string };
	const required: string[] = [];
	const fakeRequire = (name: string) => {
		required.push(name);
		if (name !== 'n8n-workflow') throw new Error(`the bundle requires ${name}`);
		return require('n8n-workflow');
	};
	const module = { exports: {} as unknown };
	new Function('require', 'module', 'exports', papaparseBundle()).call(module.exports, fakeRequire, module, module.exports);
	return { Papa: module.exports as typeof Papa, required };
}

// GrowingIO's raw-export dialect: `\"` and `\\` inside quoted fields.
const SAMPLE = 'title,info\n"C:\\\\Downloads","限时\\"秒杀\\"专场"\n"two\nlines",x\n';

describe('bundled papaparse', () => {
	it('needs no module but n8n-workflow', () => {
		expect(loadBundle().required).toEqual(['n8n-workflow']);
	});

	it('parses as the devDependency does, streamed and at once', () => {
		const { Papa: bundled } = loadBundle();
		const options = { delimiter: ',', quoteChar: '"', escapeChar: '\\', newline: '\n' as const };
		const streamed = (parser: Papa.Parser) => {
			const first = parser.parse(SAMPLE.slice(0, 20), 0, true) as unknown as { data: string[][]; meta: { cursor: number } };
			const rest = parser.parse(SAMPLE.slice(first.meta.cursor), 0, false) as unknown as { data: string[][] };
			return [...first.data, ...rest.data];
		};
		expect(streamed(new bundled.Parser(options))).toEqual(streamed(new Papa.Parser(options)));
		expect(bundled.parse<string[]>(SAMPLE, { delimiter: ',' }).data).toEqual(Papa.parse<string[]>(SAMPLE, { delimiter: ',' }).data);
		expect(streamed(new bundled.Parser(options))[1]).toEqual(['C:\\\\Downloads', '限时"秒杀"专场']);
	});
});
