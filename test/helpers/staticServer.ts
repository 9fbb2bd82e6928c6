import { createServer } from 'http';
import type { AddressInfo } from 'net';

/**
 * A stand-in for GrowingIO that answers every request with 200 and the same body, e.g. a
 * malformed CSV file or a proxy's web page, which the sandbox never sends.
 */
export async function withStaticServer(body: string, test: (baseUrl: string) => Promise<void>, contentType = 'text/csv; charset=utf-8') {
	const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': contentType }).end(body));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
}
