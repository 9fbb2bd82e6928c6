/**
 * Redis and PostgreSQL for the queue-mode test, from the Debian packages (install-services.sh),
 * each started on 127.0.0.1 on a free port with its data in a temp folder and ended at the end.
 * PostgreSQL refuses to run as root: when this runs as root (CI), the server runs as the
 * `postgres` user the Debian package creates, in a data folder that user owns.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { freePort } from '../e2e/n8nProcess';

export interface Service {
	port: number;
	/** The server's own log file. */
	log: string;
	close(): Promise<void>;
}

export interface Postgres extends Service {
	database: string;
	user: string;
	/** Runs one SQL statement; rows as arrays of text fields (psql -At). */
	query(sql: string): string[][];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest PostgreSQL server Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => fs.existsSync(path.join(root, name, 'bin', 'postgres'))) : [];
	majors.sort((a, b) => Number(b) - Number(a));
	if (!majors.length) throw new Error(`no PostgreSQL server under ${root}: run bash test/queue/install-services.sh`);
	return path.join(root, majors[0], 'bin');
}

async function portAccepts(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => {
			socket.end();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}

async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, child: ChildProcess, log: string, timeoutMs = 60_000): Promise<void> {
	const started = Date.now();
	while (!(await ready())) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
		if (Date.now() - started > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs / 1000} s:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
		await sleep(100);
	}
}

/** Ends a server started here: SIGTERM (a clean shutdown), SIGKILL if it lingers. */
async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

function spawnLogged(command: string, args: string[], log: string, options: { uid?: number; gid?: number; cwd?: string } = {}): ChildProcess {
	const fd = fs.openSync(log, 'a');
	const child = spawn(command, args, { stdio: ['ignore', fd, fd], ...options });
	fs.closeSync(fd);
	return child;
}

export async function startRedis(dir: string): Promise<Service> {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const log = path.join(dir, 'redis.log');
	// No persistence: the queue lives as long as the test.
	const child = spawnLogged('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], log);
	await waitUntil('redis-server', async () => (await portAccepts(port)) && execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).trim() === 'PONG', child, log);
	return { port, log, close: async () => await stop(child) };
}

/** The uid/gid the server runs as: `postgres` when we are root, else ourselves. */
function postgresUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

export async function startPostgres(dir: string, database = 'n8n'): Promise<Postgres> {
	const bin = postgresBinDir();
	const user = postgresUser();
	const data = path.join(dir, 'data');
	fs.mkdirSync(data, { recursive: true });
	// The postgres user must reach its folder: a temp folder (mkdtemp) is its creator's, 0700.
	for (const folder of [path.dirname(dir), dir]) fs.chmodSync(folder, 0o755);
	if (user.uid !== undefined) {
		fs.chownSync(dir, user.uid, user.gid!);
		fs.chownSync(data, user.uid, user.gid!);
	}
	fs.chmodSync(data, 0o700);
	const port = await freePort();
	const log = path.join(dir, 'postgres.log');
	fs.writeFileSync(log, '');
	if (user.uid !== undefined) fs.chownSync(log, user.uid, user.gid!);
	// Trust on loopback only (listen_addresses below); --no-sync: a throwaway cluster.
	execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], {
		...user,
		cwd: dir,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const child = spawnLogged(
		path.join(bin, 'postgres'),
		['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		log,
		{ ...user, cwd: dir },
	);
	const psql = (sql: string, db: string) =>
		execFileSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', sql], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	await waitUntil(
		'postgres',
		() => {
			try {
				return psql('SELECT 1', 'postgres').trim() === '1';
			} catch {
				return false;
			}
		},
		child,
		log,
	);
	psql(`CREATE DATABASE ${database}`, 'postgres');
	return {
		port,
		log,
		database,
		user: 'postgres',
		query: (sql) =>
			psql(sql, database)
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t')),
		close: async () => await stop(child),
	};
}
