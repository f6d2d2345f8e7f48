// Entry of local mode's ingest thread: a worker does not inherit the TypeScript loader that the
// CLI registers in the main thread, so it registers tsx itself before loading the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
