/**
 * `npm run bench`: Raw Export speed and memory, each printed as a ratio from one run (not a test).
 *
 * 1. Download throughput: the sandbox's 512 MB part (custom_event day export 3 days ago, about
 *    1.8 million rows in stored-gzip form) through the GrowingIO node — n8n-core's engine in this
 *    process, n8n's filesystem binary-data mode — against `curl` on a fresh link to the same file.
 * 2. Peak RSS of this process during the node's download, against the file's size.
 * 3. Parse rows/s of the node's reader (gunzip → GrowingIO-dialect papaparse → typed row objects,
 *    times as ISO + ms as Get Rows gives them by default; also with Milliseconds Only) against a
 *    bare zlib + papaparse pipeline (header: true, escape `\`), on the downloaded file.
 *
 * The sandbox runs in a child process so that its memory is not counted. Needs about 1.5 GB of
 * free disk space in the temp folder; takes one to two minutes.
 */
import { BENCH_FOLDER } from './env';

import { spawn, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import { createReadStream, rmSync, statSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { createGunzip } from 'zlib';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import Papa from 'papaparse';

import { gunzip } from '../nodes/GrowingIo/helpers/gzipCsv';
import { readCsvRows } from '../nodes/GrowingIo/helpers/rawRows';
import { RAW_EXPORT_CASES, ROWS_FOR_512_MB, exportDateDaysAgo } from '../sandbox/rawExport';
import { DEFAULT_PROJECT } from '../sandbox/server';
import { credentialsFor, growingIoWorkflow, nodeResult, runWorkflow } from '../test/helpers/harness';

const REPO = join(__dirname, '..');
const MB = 1024 * 1024;

function mb(bytes: number): string {
	return `${(bytes / MB).toFixed(1)} MB`;
}

function ratio(a: number, b: number): string {
	return (a / b).toFixed(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm run sandbox` in a child process, with the large part; resolves with its URL and token. */
async function startSandboxProcess(): Promise<{ child: ChildProcess; url: string; token: string }> {
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(REPO, 'sandbox/cli.ts')], {
		cwd: REPO,
		env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_LARGE_PART_ROWS: String(ROWS_FOR_512_MB), SANDBOX_QUIET: '1' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let output = '';
	return await new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it was ready:\n${output}`)));
		child.stdout!.on('data', (chunk: Buffer) => {
			output += String(chunk);
			const url = /URL\s+(http:\/\/\S+)/.exec(output)?.[1];
			const token = /API token\s+(\S+)/.exec(output)?.[1];
			if (url && token && output.includes('Press Ctrl+C')) resolve({ child, url, token });
		});
	});
}

async function hasCurl(): Promise<boolean> {
	return await new Promise((resolve) => {
		const probe = spawn('curl', ['--version'], { stdio: 'ignore' });
		probe.once('error', () => resolve(false));
		probe.once('exit', (code) => resolve(code === 0));
	});
}

async function fileHash(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** curl (or, without curl, a bare Node fetch → file stream) on a fresh link to the part. */
async function baselineDownload(url: string, token: string, date: string, target: string, useCurl: boolean): Promise<{ bytes: number; seconds: number }> {
	// A quiet second first: the sandbox allows 2 API requests per second.
	await sleep(1100);
	const links = (await (await fetch(`${url}/v2/insights/day/${RAW_EXPORT_CASES.largeDataType}/${DEFAULT_PROJECT.ai}/${date}.json?expire=60`, { headers: { Authorization: token } })).json()) as {
		downloadLinks: string[];
	};
	const link = links.downloadLinks[0];
	if (useCurl) {
		return await new Promise((resolve, reject) => {
			let out = '';
			const curl = spawn('curl', ['-sS', '-o', target, '-w', '%{size_download} %{time_total}', link], { stdio: ['ignore', 'pipe', 'inherit'] });
			curl.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
			curl.once('error', reject);
			curl.once('exit', (code) => {
				const [bytes, seconds] = out.trim().split(' ').map(Number);
				if (code === 0) resolve({ bytes, seconds });
				else reject(new Error(`curl exited ${code}`));
			});
		});
	}
	const { createWriteStream } = await import('fs');
	const { pipeline } = await import('stream/promises');
	const { Readable } = await import('stream');
	const began = performance.now();
	const response = await fetch(link);
	await pipeline(Readable.fromWeb(response.body as never), createWriteStream(target));
	return { bytes: statSync(target).size, seconds: (performance.now() - began) / 1000 };
}

/** The node's reader; with `isoTimezone` (Time Format → ISO and Milliseconds, the default) or without (Milliseconds Only). */
async function nodeParse(file: string, isoTimezone?: string): Promise<{ rows: number; seconds: number }> {
	let rows = 0;
	const began = performance.now();
	// As Get Rows reads a download: the file's bytes as a web stream, inflated by the node's gunzip.
	await readCsvRows(ReadableStream.from(createReadStream(file)).pipeThrough(gunzip()), { fields: [], eventNames: new Set(), isoTimezone }, () => {
		rows++;
		return true;
	});
	return { rows, seconds: (performance.now() - began) / 1000 };
}

async function bareParse(file: string): Promise<{ rows: number; seconds: number }> {
	let rows = 0;
	const began = performance.now();
	await new Promise<void>((resolve, reject) => {
		const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, escapeChar: '\\', skipEmptyLines: true });
		parser.on('data', () => rows++);
		parser.once('end', () => resolve());
		parser.once('error', reject);
		createReadStream(file).pipe(createGunzip()).pipe(parser);
	});
	return { rows, seconds: (performance.now() - began) / 1000 };
}

async function main(): Promise<void> {
	const binaryData = Container.get(BinaryDataService);
	await binaryData.init();
	const useCurl = await hasCurl();
	const sandbox = await startSandboxProcess();
	const credentials = {
		authentication: 'apiToken',
		apiToken: sandbox.token,
		projectUid: DEFAULT_PROJECT.uid,
		projectId: DEFAULT_PROJECT.ai,
		baseUrl: sandbox.url,
	};
	const download = (date: string) =>
		growingIoWorkflow({ resource: 'rawExport', operation: 'download', dataTypes: [RAW_EXPORT_CASES.largeDataType], exportType: 'day', dateRange: 'custom', startDate: date, options: {} });

	try {
		const date = exportDateDaysAgo(Date.now(), RAW_EXPORT_CASES.largeDaysAgo);
		console.log(
			`bench: sandbox ${sandbox.url} (child process, generating the file while it is sent), ${RAW_EXPORT_CASES.largeDataType} day export ${date}, part-00000 with ${ROWS_FOR_512_MB} rows; ${cpus().length} CPU cores`,
		);

		// Warm-up on yesterday's small files, so the measured run does not pay for first-time code paths.
		await runWorkflow({ workflow: download(exportDateDaysAgo(Date.now(), 1)), credentialsHelper: credentialsFor(credentials) });
		await sleep(1100);

		// 1 + 2. The node's download, with RSS sampled every 10 ms.
		const baseline = process.memoryUsage.rss();
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
		const began = performance.now();
		const run = await runWorkflow({ workflow: download(date), credentialsHelper: credentialsFor(credentials) });
		const nodeSeconds = (performance.now() - began) / 1000;
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage.rss());
		const { items, error } = nodeResult(run);
		if (error) throw error;
		const binaries = items.map((item) => item.binary!.data as IBinaryData);
		const files = binaries.map((binary) => binaryData.getPath(binary.id!));
		const nodeBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
		const largeFile = files[0];
		const largeBytes = statSync(largeFile).size;

		const baselineFile = join(BENCH_FOLDER, 'baseline.gz');
		const other = await baselineDownload(sandbox.url, sandbox.token, date, baselineFile, useCurl);
		const same = other.bytes === largeBytes && (await fileHash(baselineFile)) === (await fileHash(largeFile));
		rmSync(baselineFile, { force: true });

		// 3. Parsing the downloaded part.
		const parsed = await nodeParse(largeFile, 'Asia/Shanghai');
		const parsedMs = await nodeParse(largeFile);
		const bare = await bareParse(largeFile);

		const nodeRate = nodeBytes / MB / nodeSeconds;
		const otherRate = other.bytes / MB / other.seconds;
		const baselineName = useCurl ? 'curl' : 'bare Node fetch → file (curl is not installed)';
		console.log('');
		console.log(`download  node: ${items.length} files, ${mb(nodeBytes)} in ${nodeSeconds.toFixed(2)} s = ${nodeRate.toFixed(1)} MB/s (whole workflow: link request, ${items.length} parts, gzip check, filesystem binary data)`);
		console.log(`download  ${baselineName}: ${mb(other.bytes)} in ${other.seconds.toFixed(2)} s = ${otherRate.toFixed(1)} MB/s${same ? ' (same bytes as the node\'s file)' : ' (WARNING: differs from the node\'s file)'}`);
		console.log(`download  ratio node / ${useCurl ? 'curl' : 'baseline'}: ${ratio(nodeRate, otherRate)}`);
		console.log(`memory    RSS before ${mb(baseline)}, peak during the download ${mb(peak)}: growth ${mb(peak - baseline)} for a ${mb(largeBytes)} file`);
		console.log(`memory    ratio RSS growth / file size: ${ratio(peak - baseline, largeBytes)}`);
		console.log(`parse     node reader: ${parsed.rows} rows in ${parsed.seconds.toFixed(2)} s = ${Math.round(parsed.rows / parsed.seconds)} rows/s (typed row objects, times as ISO + ms: the default)`);
		console.log(`parse     node reader, Time Format Milliseconds Only: ${parsedMs.rows} rows in ${parsedMs.seconds.toFixed(2)} s = ${Math.round(parsedMs.rows / parsedMs.seconds)} rows/s`);
		console.log(`parse     bare zlib + papaparse: ${bare.rows} rows in ${bare.seconds.toFixed(2)} s = ${Math.round(bare.rows / bare.seconds)} rows/s`);
		console.log(`parse     ratio node / bare: ${ratio(parsed.rows / parsed.seconds, bare.rows / bare.seconds)}`);
		if (!same || parsed.rows !== ROWS_FOR_512_MB || bare.rows !== ROWS_FOR_512_MB) {
			process.exitCode = 1;
			console.log(`bench: FAILED sanity checks (same file: ${same}, rows: ${parsed.rows}/${bare.rows} of ${ROWS_FOR_512_MB})`);
		}
	} finally {
		sandbox.child.kill('SIGTERM');
		rmSync(BENCH_FOLDER, { recursive: true, force: true });
	}
}

main()
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	})
	// n8n-core leaves timers behind; the bench is done.
	.finally(() => process.exit());
