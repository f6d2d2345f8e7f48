import { startLocalDynamo } from '../lib/store/local-dynamo.ts';
import { measureFlusherMinute } from './flush-minute.ts';
import { CONFIG, NOW_MS, zipf, batchRecords } from './cost.ts';
const local = await startLocalDynamo();
const pick = zipf(4000);
for (let i = 0; i < 1; i++) {
  const m = await measureFlusherMinute(local, CONFIG, 12, (p, b) => batchRecords(pick, 8333, p, b), NOW_MS);
  console.log(JSON.stringify({ collectUs: m.collectUsPerLabelSet.toFixed(1), labelSets: m.labelSets, cpuShare: m.cpuShareOfWall.toFixed(2) }));
}
await local.close?.();
process.exit(0);
