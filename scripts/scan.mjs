// Runs the scanner's own analyzePackage on one package's source and on its extracted tarball, and
// prints every problem with a count per part, labelled with the package name. A problem listed in
// scan-known-problems.json (kept on purpose, with the reason) is printed as known and not counted;
// exits 1 when any other problem remains.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [scannerPath, sourceDir, tarballDir, label = 'package'] = process.argv.slice(2);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);
const known = JSON.parse(readFileSync(new URL('./scan-known-problems.json', import.meta.url), 'utf8')).filter((entry) => entry.package === label);

/** ESLint's stylish report: a file line, then `line:col  error  message  rule` lines. */
function problemsOf(details) {
	const problems = [];
	let file = '';
	for (const line of (details ?? '').split('\n')) {
		if (/^\S/.test(line) && !line.startsWith('✖')) file = line.trim();
		const match = /^\s+\d+:\d+\s+error\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
		if (match) problems.push({ file, message: match[1], rule: match[2], line: line.trim() });
	}
	return problems;
}

const isKnown = (problem) =>
	known.find((entry) => entry.rule === problem.rule && problem.message.includes(entry.message) && entry.files.some((file) => problem.file.endsWith(file)));

const parts = [
	{ name: 'source', dir: sourceDir, patterns: SOURCE_FILE_PATTERNS },
	// What n8n lints of the published tarball: compiled JavaScript and package.json.
	{ name: 'tarball', dir: tarballDir, patterns: ['**/*.js', 'package.json'] },
];

let problems = 0;
let knownCount = 0;
for (const part of parts) {
	const result = await analyzePackage(part.dir, part.patterns);
	const found = problemsOf(result.details);
	// A failure the report does not list (the scanner itself failed) counts as one problem.
	const unlisted = result.passed || found.length ? 0 : 1;
	const kept = found.filter(isKnown);
	const count = found.length - kept.length + unlisted;
	problems += count;
	knownCount += kept.length;
	console.log(`scan ${label} ${part.name}: ${count} problems${kept.length ? `, ${kept.length} known` : ''}${count ? ` (${result.message})` : ''}`);
	for (const problem of kept) console.log(`  known: ${problem.file}: ${problem.line}\n    kept because: ${isKnown(problem).why}`);
	if (count && result.details) console.log(result.details);
}
console.log(`scan ${label}: ${problems} problems in all${knownCount ? ` (${knownCount} known, kept on purpose: scripts/scan-known-problems.json)` : ''}`);
process.exit(problems === 0 ? 0 : 1);
