import { createServer, type IncomingHttpHeaders } from 'http';
import type { AddressInfo } from 'net';

/** A request the server received. */
export interface ReceivedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: string;
}

export type JsonAnswer = { status: number; body: unknown };

/**
 * A tiny local HTTP server standing in for a service the tests have no sandbox for: `answer`
 * decides each response from the request; every request is recorded for the test to check.
 */
export async function withJsonServer(answer: (request: ReceivedRequest) => JsonAnswer, test: (baseUrl: string, requests: ReceivedRequest[]) => Promise<void>) {
	const requests: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const request = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
			requests.push(request);
			const { status, body: json } = answer(request);
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
}
