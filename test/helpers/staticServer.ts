import { createServer } from 'http';
import type { AddressInfo } from 'net';

/** A request the static server received: its path and the Authorization header it carried. */
export interface StaticRequest {
	path: string;
	authorization?: string;
}

/**
 * A stand-in for GrowingIO that answers every GET with 200 and the same body, e.g. a malformed
 * CSV file or a proxy's web page, which the sandbox never sends. Like GrowingIO it answers 401
 * to a request without an Authorization header, and it records every request so that a test
 * can check what the node asked for.
 */
export async function withStaticServer(
	body: string,
	test: (baseUrl: string, requests: StaticRequest[]) => Promise<void>,
	contentType = 'text/csv; charset=utf-8',
) {
	const requests: StaticRequest[] = [];
	const server = createServer((req, res) => {
		const authorization = req.headers.authorization;
		requests.push({ path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname, authorization });
		if (req.method !== 'GET') res.writeHead(405, { Allow: 'GET' }).end();
		else if (!authorization) res.writeHead(401, { 'Content-Type': 'application/json; charset=utf-8' }).end('{"message":"Unauthorized","errors":[]}');
		else res.writeHead(200, { 'Content-Type': contentType }).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
}
