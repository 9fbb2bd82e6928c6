import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core writes its instance settings under N8N_USER_FOLDER; keep tests away from ~/.n8n.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'growingio-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'growingio-tests-only-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
