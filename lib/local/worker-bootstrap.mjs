// Entry of local mode's worker threads: a worker does not inherit the TypeScript loader that the
// CLI registers in the main thread, so it registers tsx itself, then loads the worker's code
// (workerData.entry, a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
