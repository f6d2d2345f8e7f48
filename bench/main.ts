// `npm run bench`: every benchmark group, ratios measured side by side in this one run.
import { benchDecodeSpanMetrics } from './decode-spanmetrics.ts';
import { benchFlushPersist } from './flush-persist.ts';
import { benchIngestCost } from './ingest-cost.ts';

console.log(`# msk-metrics-generator benchmarks (node ${process.version}, ${new Date().toISOString()})`);
benchDecodeSpanMetrics();
await benchIngestCost();
await benchFlushPersist();
