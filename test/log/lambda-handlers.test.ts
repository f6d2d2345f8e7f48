// What the two Lambda handlers print, as CloudWatch Logs receives it: Powertools log lines keyed
// by the invocation (correlation_id = the Lambda request id, cold_start, function_name, service),
// the cold-start metric once per container, the recorded metrics as before, and no credential
// anywhere in the output, even when a remote-write endpoint rejects the flusher.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../infra/functions.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';
import { eventOf, makeRecords, startStore, TABLE } from '../helpers/ingest-harness.ts';
import { startReceiver, type Receiver } from '../remote-write/receiver.ts';

const PASSWORD = 'pw-s3cr3t-value';
const API_KEY = 'k3y-s3cr3t-value';

/** Runs the script in a fresh node with tsx; a non-zero exit rejects with its output. */
const runNode = (script: string, env: NodeJS.ProcessEnv) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env,
    timeout: 60_000,
    maxBuffer: 64 * 2 ** 20,
  });

type Line = Record<string, unknown> & { _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } };

describe('the Lambda handlers print through Powertools', () => {
  let store: Awaited<ReturnType<typeof startStore>>;
  let rx: Receiver;
  let lines: Line[];
  let raw: string;

  before(async () => {
    store = await startStore();
    await createTable(store.client, SERIES_TABLE, 'series');
    rx = await startReceiver();
    rx.reply({ status: 401, body: 'unauthorized' });
    const config = [
      'metrics_generator:',
      '  storage:',
      '    remote_write:',
      `      - url: ${rx.url}?api_key=${API_KEY}`,
      `        basic_auth: {username: gen, password: ${PASSWORD}}`,
      'overrides:',
      '  defaults:',
      '    metrics_generator:',
      '      processors: [span-metrics]',
      '',
    ].join('\n');
    const script = `
      const ingest = await import(${JSON.stringify(join(REPO_ROOT, 'functions/ingest.ts'))});
      const flush = await import(${JSON.stringify(join(REPO_ROOT, 'functions/flush.ts'))});
      const context = (id, fn) => ({
        awsRequestId: id,
        functionName: fn,
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:' + fn,
        memoryLimitInMB: '1024',
        getRemainingTimeInMillis: () => 9500,
      });
      const [first, second] = JSON.parse(process.env.EVENTS);
      await ingest.handler(first, context('req-ingest-1', 'gen-ingest'));
      await ingest.handler(second, context('req-ingest-2', 'gen-ingest'));
      await flush.handler({}, context('req-flush-1', 'gen-flush'));
    `;
    const events = [eventOf(makeRecords('traces', 0, 0, 10)), eventOf(makeRecords('traces', 0, 10, 10))];
    // asynchronously: dynalite and the receiver serve from this process's event loop
    const run = await runNode(script, {
      PATH: process.env.PATH,
      EVENTS: JSON.stringify(events),
      DYNAMODB_ENDPOINT: store.endpoint,
      // as Lambda sets it for an on-demand container (provisioned concurrency has no cold starts)
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DELTAS_TABLE: TABLE,
      SERIES_TABLE: 'series',
      CONFIG: config,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    raw = run.stdout + run.stderr;
    lines = raw
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  });
  after(async () => {
    await rx.close();
    store.close();
  });

  const logs = () => lines.filter((l) => l._aws === undefined);
  const emf = () => lines.filter((l) => l._aws !== undefined);

  test('every log line names its invocation: correlation_id is the Lambda request id', () => {
    const committed = logs().filter((l) => l.message === 'committed delta');
    assert.deepEqual(
      committed.map((l) => [l.correlation_id, l.function_request_id, l.cold_start, l.level, l.partition]),
      [
        ['req-ingest-1', 'req-ingest-1', true, 'INFO', 0],
        ['req-ingest-2', 'req-ingest-2', false, 'INFO', 0],
      ],
    );
    for (const l of logs()) {
      assert.equal(l.service, 'msk-metrics-generator');
      assert.equal(typeof l.timestamp, 'string');
      assert.match(String(l.correlation_id), /^req-/, JSON.stringify(l));
    }
    const rejected = logs().find((l) => l.message === 'remote write: request rejected');
    assert.ok(rejected, 'the 401 is logged');
    assert.equal(rejected.correlation_id, 'req-flush-1');
    assert.equal(rejected.function_name, 'gen-flush');
    assert.equal(rejected.level, 'WARN');
    assert.equal(rejected.status, 401);
  });

  test('the cold-start metric goes out once per container, with Powertools dimensions', () => {
    const cold = emf().filter((l) => 'ColdStart' in l);
    assert.deepEqual(
      cold.map((l) => [l.function_name, l.service, l.ColdStart, l._aws?.CloudWatchMetrics[0].Dimensions]),
      [
        ['gen-ingest', 'msk-metrics-generator', 1, [['service', 'function_name']]],
        ['gen-flush', 'msk-metrics-generator', 1, [['service', 'function_name']]],
      ],
    );
  });

  test('the recorded metrics keep their namespace and dimensions (no service dimension added)', () => {
    const records = emf().filter((l) => 'Records' in l);
    assert.deepEqual(
      records.map((l) => [l.Records, l._aws?.CloudWatchMetrics[0].Dimensions]),
      [
        [10, [['topic']]],
        [10, [['topic']]],
      ],
    );
    for (const l of emf()) assert.equal(l._aws?.CloudWatchMetrics[0].Namespace, 'MskMetricsGenerator');
    const failures = emf().find((l) => 'RemoteWriteFailures' in l);
    assert.ok(failures, 'the rejected send is published');
    assert.ok(!failures._aws?.CloudWatchMetrics[0].Dimensions[0].includes('service'));
  });

  test('no credential of the endpoint appears in anything the handlers print', () => {
    assert.ok(rx.received.length > 0, 'the flusher sent');
    assert.ok(!raw.includes(PASSWORD), 'password printed');
    assert.ok(!raw.includes(API_KEY), 'api key printed');
    assert.match(raw, /api_key=REDACTED/, 'the endpoint is named, redacted');
  });
});
