const fs = require('fs');
const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles the code; the icons n8n shows next to nodes and credentials are copied as they are.
task('build:icons', copyIcons);
// papaparse is bundled: the package has no runtime dependencies.
task('build:papaparse', bundlePapaparse);

function copyIcons() {
	const nodeSource = path.resolve('nodes', '**', '*.{png,svg}');
	const nodeDestination = path.resolve('dist', 'nodes');

	src(nodeSource, { encoding: false }).pipe(dest(nodeDestination));

	const credSource = path.resolve('credentials', '**', '*.{png,svg}');
	const credDestination = path.resolve('dist', 'credentials');

	return src(credSource, { encoding: false }).pipe(dest(credDestination));
}

/**
 * Replaces the compiled nodes/GrowingIo/vendor/papaparse.js (a re-export of the devDependency)
 * with papaparse's own browser build, papaparse.min.js, as published. That build has no Node
 * stream support and so no require() at all. It is wrapped in a function that gives it two names:
 * `setTimeout`, which papaparse calls only to resume a paused streaming parse (never used here),
 * runs through n8n-workflow's sleep, as n8n wants timers in nodes to; `console`, which it uses only
 * to warn that header: true renamed duplicate headers (never used here), stays silent.
 */
function papaparseBundle() {
	const packageDir = path.dirname(require.resolve('papaparse/package.json'));
	const { version } = require('papaparse/package.json');
	const code = fs.readFileSync(path.join(packageDir, 'papaparse.min.js'), 'utf8');
	return [
		`// papaparse ${version} (MIT, https://github.com/mholt/PapaParse), papaparse.min.js as published, bundled by gulpfile.js.`,
		"const { sleep } = require('n8n-workflow');",
		'(function (setTimeout, console) {',
		code.trimEnd(),
		'}).call(this, (callback, ms) => void sleep(ms).then(callback), { warn() {} });',
		'',
	].join('\n');
}

async function bundlePapaparse() {
	const target = path.resolve('dist', 'nodes', 'GrowingIo', 'vendor', 'papaparse.js');
	if (!fs.existsSync(target)) throw new Error(`${target} is missing: run tsc first`);
	fs.writeFileSync(target, papaparseBundle());
	fs.rmSync(`${target}.map`, { force: true });
}

module.exports = { papaparseBundle };
