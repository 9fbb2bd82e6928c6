/**
 * Running the real n8n CLI (installed by install-n8n.sh) from the e2e test and the benchmarks:
 * an isolated environment per user folder, one command at a time with its output in files, and
 * the process group killed on timeout or signal.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const N8N_BIN = process.env.N8N_BIN ?? path.resolve(__dirname, '../../.cache/n8n-2.8.4/node_modules/.bin/n8n');

/** The installed n8n's package.json, next to its .bin folder. */
function n8nManifest(): { version?: string; engines?: { node?: string } } {
	try {
		return JSON.parse(fs.readFileSync(path.join(path.dirname(N8N_BIN), '../n8n/package.json'), 'utf8'));
	} catch {
		return {};
	}
}

/** The version of the n8n at N8N_BIN, e.g. "2.8.4" ("unknown" when its package.json is not beside it). */
export const N8N_VERSION = n8nManifest().version ?? 'unknown';
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);

/** n8n 2.41 and later need Node 24 (engines ">=24"): install-node24.sh puts one into .cache/node24. */
const NEEDS_NODE_24 = /^>=\s*24/.test(n8nManifest().engines?.node ?? '');
const NODE_24_BIN_DIR = path.resolve(__dirname, '../../.cache/node24/node_modules/node/bin');

let running: ChildProcess | undefined;

/** The n8n process running now, for a signal handler to stop. */
export function runningN8n(): ChildProcess | undefined {
	return running;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The environment n8n runs with: no N8N_ or DB_ variables from the caller, only ours. */
export function n8nEnvironment(userFolder: string, brokerPort: number): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|GENERIC_TIMEZONE$|EXECUTIONS_|QUEUE_|NODE_FUNCTION_)/.test(key)) continue;
		env[key] = value;
	}
	if (NEEDS_NODE_24) {
		if (!fs.existsSync(path.join(NODE_24_BIN_DIR, 'node'))) throw new Error(`n8n ${N8N_VERSION} needs Node 24: run bash test/e2e/install-node24.sh`);
		// The n8n script starts with `#!/usr/bin/env node`: the first node on PATH runs it.
		env.PATH = `${NODE_24_BIN_DIR}${path.delimiter}${env.PATH ?? ''}`;
	}
	return {
		...env,
		// The default expression engine of these versions ("vm", isolated-vm on Node 24) sometimes
		// segfaults at process exit; the legacy engine does not.
		...(NEEDS_NODE_24 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// The default log level: execute-batch prints through the logger.
	};
}

/** Ends an n8n process and whatever it started (its own process group). */
export function killN8n(child: ChildProcess): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		child.kill('SIGKILL');
	}
}

/** Starts `n8n <args>` with stdout/stderr into `<logDir>/<step>.*.log`; the caller ends it. */
export function spawnN8n(step: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logDir: string) {
	const stdout = path.join(logDir, `${step}.stdout.log`);
	const stderr = path.join(logDir, `${step}.stderr.log`);
	const out = fs.openSync(stdout, 'w');
	const err = fs.openSync(stderr, 'w');
	const child = spawn(N8N_BIN, args, { cwd, env, stdio: ['ignore', out, err], detached: true });
	running = child;
	const closeLogs = () => {
		if (running === child) running = undefined;
		fs.closeSync(out);
		fs.closeSync(err);
	};
	return { child, stdout, stderr, errFd: err, closeLogs };
}

/** Runs one n8n command to its end (killed after `timeoutMs`), asynchronously so sandboxes in this process keep answering. */
export async function runN8n(
	step: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	cwd: string,
	logDir: string,
	timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
	const started = Date.now();
	const { child, stdout, stderr, errFd, closeLogs } = spawnN8n(step, args, env, cwd, logDir);
	try {
		const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
			const timer = setTimeout(() => {
				fs.writeSync(errFd, `\n[n8nProcess] ${step} timed out after ${timeoutMs / 1000} s; killing it\n`);
				killN8n(child);
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('exit', (code, signal) => {
				clearTimeout(timer);
				resolve({ code, signal });
			});
		});
		return { ...result, stdout, stderr, ms: Date.now() - started };
	} finally {
		closeLogs();
	}
}

/**
 * Links this package into `<userFolder>/.n8n/nodes/node_modules`, which n8n's community-package
 * loader scans at start: it loads under its real name, so the node type is
 * n8n-nodes-growingio.growingIo as in users' workflows.
 */
export function linkPackage(userFolder: string, packageDir: string, packageName: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.symlinkSync(packageDir, path.join(nodesDir, packageName), 'dir');
}

/** `npm pack` of the built package into `outDir`; returns the tarball's path. */
export function packPackage(packageDir: string, outDir: string): string {
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
	return path.join(outDir, filename);
}

/**
 * Installs packed packages into `<userFolder>/.n8n/nodes` as n8n installs a community package:
 * without dev and peer dependencies and without install scripts, so each package runs on n8n's
 * own n8n-workflow, not on a copy of its own. n8n's community-package loader scans
 * nodes/node_modules at start, so the node type is n8n-nodes-growingio.growingIo as in users' workflows.
 * All tarballs go in one npm install: a later install with a fresh package.json would prune the earlier ones.
 */
export function installPackage(userFolder: string, ...tarballs: string[]): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	execFileSync('npm', ['install', '--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs], {
		cwd: nodesDir,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/**
 * The content of a binary in an execution snapshot: n8n 2.x keeps binaries in files under the user
 * folder's storage directory (id "filesystem-v2:<path>"); 1.x keeps them in memory by default, so
 * the snapshot carries them as base64 `data`. Undefined when it has neither.
 */
export function binaryContent(binary: { id?: string; data?: string } | undefined, userFolder: string): Buffer | undefined {
	if (binary?.id) return fs.readFileSync(path.join(userFolder, '.n8n', 'storage', binary.id.replace(/^filesystem(-v2)?:/, '')));
	if (typeof binary?.data === 'string' && binary.data !== '') return Buffer.from(binary.data, 'base64');
	return undefined;
}

export function tail(file: string, lines = 40): string {
	if (!fs.existsSync(file)) return `(no ${path.basename(file)})`;
	const all = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
	return `--- ${file} (last ${Math.min(lines, all.length)} of ${all.length} lines) ---\n${all.slice(-lines).join('\n')}`;
}
