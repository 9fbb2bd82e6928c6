import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { inspect } from 'util';

/** Shared by the fault and bad-input suites (test/workflows/faults.test.ts, badInputs.test.ts). */

/**
 * Where a secret shows up in what a run produced: the items, the error (message, description,
 * and everything else on it, non-enumerable fields and causes included) and the whole IRun.
 * Returns the places, so a failing test says where it leaked, never the secret itself.
 */
export function secretLeaks(result: { run: unknown; items?: unknown; error?: unknown }, secrets: string[]): string[] {
	const error = result.error as { message?: string; description?: string | null } | undefined;
	const places: Record<string, string> = {
		items: JSON.stringify(result.items ?? []),
		'error message': String(error?.message ?? ''),
		'error description': String(error?.description ?? ''),
		error: error ? inspect(error, { depth: 8, showHidden: true }) : '',
		run: JSON.stringify(result.run),
	};
	const leaks: string[] = [];
	secrets.forEach((secret, index) => {
		if (!secret) return;
		for (const [place, text] of Object.entries(places)) if (text.includes(secret)) leaks.push(`secret #${index} in ${place}`);
	});
	return leaks;
}

/**
 * A pass-through HTTP proxy in front of the sandbox for the faults the sandbox cannot make
 * itself: a connection that breaks in the middle of a response (headers and half the body sent,
 * then a reset), and answers rewritten on their way (e.g. a report with no rows). Every request
 * still reaches the sandbox, so its rate-limit record stays complete. Point a credential's Base
 * URL at `url`.
 */

/** Applied to the next `times` (default 1) successful answers whose path contains `path`. */
export type ProxyFault =
	/** Forward the sandbox's status, headers (with its Content-Length) and half the body, then reset. */
	| { kind: 'reset_mid_body'; path?: string; times?: number }
	/** Replace the sandbox's body (status and other headers kept). */
	| { kind: 'rewrite'; path?: string; times?: number; rewrite: (body: string) => string };

export interface FaultProxy {
	url: string;
	inject(fault: ProxyFault): void;
	clear(): void;
	/** Paths whose answers a fault changed, in order. */
	readonly faulted: Array<{ path: string; kind: ProxyFault['kind'] }>;
	close(): Promise<void>;
}

interface Queued {
	fault: ProxyFault;
	remaining: number;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

/** Hop-by-hop headers are the proxy's own business. */
function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
	const copy = { ...headers };
	for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']) delete copy[name];
	return copy;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
	const upstream = new URL(target);
	let queue: Queued[] = [];
	const faulted: FaultProxy['faulted'] = [];

	function take(path: string): ProxyFault | undefined {
		const index = queue.findIndex(({ fault }) => fault.path === undefined || path.includes(fault.path));
		if (index < 0) return undefined;
		const entry = queue[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) queue.splice(index, 1);
		return entry.fault;
	}

	function onRequest(req: IncomingMessage, res: ServerResponse): void {
		const path = new URL(req.url ?? '/', 'http://proxy').pathname;
		const headers = forwardable(req.headers);
		headers.host = upstream.host;
		const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
			void (async () => {
				const body = await readAll(answer);
				const responseHeaders = forwardable(answer.headers);
				// Only successful answers are broken or rewritten: a fault must not be spent on a 429.
				const ok = (answer.statusCode ?? 0) >= 200 && (answer.statusCode ?? 0) < 300;
				const fault = ok ? take(path) : undefined;
				if (fault) faulted.push({ path, kind: fault.kind });
				if (fault?.kind === 'rewrite') {
					const text = Buffer.from(fault.rewrite(body.toString('utf8')), 'utf8');
					res.writeHead(answer.statusCode ?? 502, { ...responseHeaders, 'content-length': String(text.length) });
					res.end(text);
					return;
				}
				res.writeHead(answer.statusCode ?? 502, { ...responseHeaders, 'content-length': String(body.length) });
				if (fault?.kind === 'reset_mid_body') {
					res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
					return;
				}
				res.end(body);
			})().catch(() => req.socket.destroy());
		});
		forward.on('error', () => req.socket.destroy());
		req.pipe(forward);
	}

	const server = createServer(onRequest);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		inject: (fault) => queue.push({ fault, remaining: fault.times ?? 1 }),
		clear: () => {
			queue = [];
			faulted.splice(0);
		},
		faulted,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
