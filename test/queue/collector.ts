/**
 * Where the queue-mode workflows deliver their reports: a plain HTTP server on 127.0.0.1 that
 * keeps every POSTed JSON body in arrival order and answers 200.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import type { Delivery } from './workflows';

export interface Collector {
	url: string;
	deliveries: Delivery[];
	/** Bodies that were not JSON objects, as received. */
	rejected: string[];
	close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
	const deliveries: Delivery[] = [];
	const rejected: string[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				const body = JSON.parse(text) as Delivery;
				if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
				deliveries.push(body);
			} catch {
				rejected.push(text.slice(0, 500));
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"received":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/deliveries`,
		deliveries,
		rejected,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
