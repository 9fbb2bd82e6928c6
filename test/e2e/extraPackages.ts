/**
 * The repository's other community packages in the real-n8n e2e. Each one is packed and
 * installed into the same user folder's .n8n/nodes next to GrowingIO, brings its own sandbox,
 * credentials and workflows, and its workflows run in the same `n8n execute-batch` as
 * GrowingIO's, so a package costs its workflows' run time and little else. One module per package
 * (saferMeExample.ts, …) starts its sandbox and returns a PackageE2e; runE2e.ts lists them in
 * EXTRA_PACKAGES and does the rest.
 */
import * as path from 'path';

export type Json = Record<string, unknown>;
export type Check = (name: string, ok: boolean, detail?: string) => void;

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<Json & { name: string; type: string; parameters?: Json; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

/** An import:credentials entry (decrypted data; n8n encrypts it on import). */
export interface CredentialEntry {
	id: string;
	name: string;
	type: string;
	data: Json;
}

export interface PackageE2e {
	/** The npm name, as it appears under .n8n/nodes/node_modules. */
	name: string;
	/** The package's folder: `npm pack` runs there, its package.json lists the built files. */
	dir: string;
	credentials: CredentialEntry[];
	/** Workflows that start with a Manual Trigger; they join the execute-batch. Ids need a digit. */
	workflows: Array<{ file: string; workflow: WorkflowFile }>;
	/** Checks the snapshots of its workflows (only successful ones are in the map) and what its sandbox saw. */
	check(snapshots: Map<string, Json>, check: Check): void | Promise<void>;
	/** Values that must not appear in snapshots or logs; read after the run (tokens issued during it). */
	secrets(): Array<{ label: string; value: string }>;
	close(): Promise<void>;
}

export const PACKAGES_DIR = path.resolve(__dirname, '../../packages');

/** Output items of a node's first run in an execute-batch snapshot (an IRun). */
export function nodeItems(snapshot: Json, nodeName: string): Array<{ json: Json; pairedItem?: unknown }> | undefined {
	const data = snapshot.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json; pairedItem?: unknown }>> } }>> } };
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0];
}
