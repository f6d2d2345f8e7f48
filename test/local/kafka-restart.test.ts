// The `local` CLI consuming a real Kafka-protocol broker with --data-dir, killed (SIGKILL) and
// stopped (SIGTERM) between batches: the remote ends with exactly the spans produced, no loss
// and no double count, and a restart goes on counting from where the last one stopped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBytesMessages, skipWithoutBroker } from '../../testing/kafka-mock-broker.ts';
import { brokerAndDir } from '../helpers/broker-and-dir.ts';
import { startWriteRecorder } from '../helpers/write-recorder.ts';

const BIN = new URL('../../bin/msk-metrics-generator.js', import.meta.url).pathname;
const ROOT =
  'traces_spanmetrics_calls_total{service="frontend",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_UNSET"}';

async function until(cond: () => boolean, what: string, ms = 40_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('local CLI on a real broker with --data-dir: restarts', skipWithoutBroker(), () => {
  const setup = brokerAndDir(3, 'local-restart-');

  test('after SIGKILL and after SIGTERM the remote holds exactly the spans produced', async () => {
    const { kafka, dir } = setup;
    const topic = 'restarts';
    await kafka.createTopic(topic, 4);
    const recorder = await startWriteRecorder();
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      'metrics_generator: {registry: {collection_interval: 500ms}}\noverrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}\n',
    );
    const env = {
      KAFKA_BROKERS: kafka.bootstrap,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: 'restart-group',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      REMOTE_WRITE_URL: recorder.url,
    };
    const start = () =>
      spawn(process.execPath, [BIN, 'local', '--port', '0', '--config', config, '--data-dir', join(dir, 'state')], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
    const exited = (child: ChildProcess) =>
      new Promise<number | null>((r) =>
        child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
      );
    const produced = new Map<string, number>();
    const produce = async (round: number) => {
      await Promise.all(
        [0, 1, 2, 3].map((partition) => {
          const tenant = partition % 2 === 0 ? 'team-even' : 'team-odd';
          const n = 5 + round + partition;
          produced.set(tenant, (produced.get(tenant) ?? 0) + n);
          return kafka.produce(topic, partition, pushBytesMessages(tenant, n), 'snappy');
        }),
      );
    };
    const allCounted = () => [...produced].every(([t, n]) => recorder.latest(ROOT, t) === n);
    try {
      await produce(0);
      let child = start();
      await until(allCounted, 'round 0 remote-written');
      child.kill('SIGKILL');
      await exited(child);

      await produce(1);
      child = start();
      await until(
        allCounted,
        `round 1 remote-written after SIGKILL (${JSON.stringify([...recorder.latestByTenant(ROOT)])} vs ${JSON.stringify([...produced])})`,
      );
      await produce(2);
      await until(allCounted, 'round 2 remote-written');
      child.kill('SIGTERM');
      assert.equal(await exited(child), 0, 'SIGTERM exits 0');
      assert.deepEqual(
        Object.fromEntries(recorder.latestByTenant(ROOT)),
        Object.fromEntries(produced),
        'nothing counted twice by the final remote write',
      );

      await produce(3);
      child = start();
      await until(allCounted, 'round 3 remote-written after SIGTERM');
      child.kill('SIGTERM');
      assert.equal(await exited(child), 0);
      assert.deepEqual(Object.fromEntries(recorder.latestByTenant(ROOT)), Object.fromEntries(produced));
    } finally {
      await recorder.close();
    }
  });
});
