/**
 * Imported first by the benchmarks: n8n-core reads these when its services are first created.
 * Binary data goes to files (n8n's filesystem mode, the default of a regular n8n), in a fresh
 * folder that the benchmark removes at the end.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export const BENCH_FOLDER = mkdtempSync(join(tmpdir(), 'growingio-bench-'));

process.env.N8N_USER_FOLDER = join(BENCH_FOLDER, 'user');
process.env.N8N_ENCRYPTION_KEY ??= 'growingio-bench-only-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_BINARY_DATA_STORAGE_PATH = join(BENCH_FOLDER, 'binary-data');
