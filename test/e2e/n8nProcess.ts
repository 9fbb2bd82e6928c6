/**
 * Running the real n8n CLI (installed by install-n8n.sh) from the e2e test and the benchmarks:
 * an isolated environment per user folder, one command at a time with its output in files, and
 * the process group killed on timeout or signal.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const N8N_BIN = process.env.N8N_BIN ?? path.resolve(__dirname, '../../.cache/n8n-2.8.4/node_modules/.bin/n8n');

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
	return {
		...env,
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

export function tail(file: string, lines = 40): string {
	if (!fs.existsSync(file)) return `(no ${path.basename(file)})`;
	const all = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
	return `--- ${file} (last ${Math.min(lines, all.length)} of ${all.length} lines) ---\n${all.slice(-lines).join('\n')}`;
}
