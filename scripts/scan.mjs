// Runs the scanner's own analyzePackage on one package's source and on its extracted tarball, and
// prints every problem with a count per part, labelled with the package name. Exits 1 when there
// is any problem.
import { pathToFileURL } from 'node:url';

const [scannerPath, sourceDir, tarballDir, label = 'package'] = process.argv.slice(2);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);

const parts = [
	{ name: 'source', dir: sourceDir, patterns: SOURCE_FILE_PATTERNS },
	// What n8n lints of the published tarball: compiled JavaScript and package.json.
	{ name: 'tarball', dir: tarballDir, patterns: ['**/*.js', 'package.json'] },
];

let problems = 0;
for (const part of parts) {
	const result = await analyzePackage(part.dir, part.patterns);
	const count = result.passed ? 0 : Number(/(\d+) problems?/.exec(result.details ?? '')?.[1] ?? 1);
	problems += count;
	console.log(`scan ${label} ${part.name}: ${count} problems${result.passed ? '' : ` (${result.message})`}`);
	if (result.details) console.log(result.details);
}
console.log(`scan ${label}: ${problems} problems in all`);
process.exit(problems === 0 ? 0 : 1);
