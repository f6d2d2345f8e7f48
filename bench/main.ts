// `npm run bench`: every benchmark group, ratios measured side by side in this one run.
// BENCHMARKS.md explains each table and keeps the numbers of one run on the project's machine.
import { benchCost } from './cost.ts';
import { benchDecodeSpanMetrics } from './decode-spanmetrics.ts';
import { benchDeltaCodec } from './delta-codec.ts';
import { benchDynamoCost } from './dynamo-cost.ts';
import { benchFlushCatchUp } from './flush-catchup.ts';
import { benchFlushPersist } from './flush-persist.ts';
import { benchIngestCost } from './ingest-cost.ts';
import { benchKafkaThroughput } from './kafka-throughput.ts';
import { benchLambdaShape } from './lambda-shape.ts';
import { benchRegistryMemory } from './registry-memory.ts';
import { benchRemoteWrite } from './remote-write.ts';
import { benchWriteRelabel } from './write-relabel.ts';
import { benchCrossBatch, benchServiceGraphs } from './servicegraphs.ts';
import { benchTenantFanOut } from './tenant-fan-out.ts';

const started = performance.now();
console.log(`# msk-metrics-generator benchmarks (node ${process.version}, ${new Date().toISOString()})`);
benchDecodeSpanMetrics();
benchServiceGraphs();
benchCrossBatch();
benchDeltaCodec();
await benchIngestCost();
await benchDynamoCost();
benchRemoteWrite();
await benchTenantFanOut();
benchWriteRelabel();
await benchFlushPersist();
await benchFlushCatchUp();
benchRegistryMemory();
await benchLambdaShape();
await benchKafkaThroughput();
await benchCost();
console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
