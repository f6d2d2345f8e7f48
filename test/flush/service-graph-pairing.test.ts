// Acceptance for cross-batch service graphs: a client half in one partition and its server half in
// another, ingested by different invocations in either order, make one edge counted once; halves
// more than `wait` apart do not pair but expire as Tempo's onExpire does; host info goes stale when the
// host stops sending. With a crash injected at every DynamoDB call of every ingest and of every
// flusher save, followed by re-delivery or a cold restart, the outcome is the same, and no series
// sent to the remote ever goes backwards.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import type { Ddb } from '../../lib/store/ddb.ts';
import {
  buildResourceSpans,
  encodePushBytesRequest,
  encodeTempoTrace,
  type Attributes,
  type SpanSpec,
} from '../../testing/build.ts';
import { CheckingSender } from '../helpers/checking-sender.ts';
import { Clock } from '../helpers/clock.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { CallFaults, type Fault } from '../helpers/fault-store.ts';
import { RECORD_TIME_MS, eventOf, startStore, testContext } from '../helpers/ingest-harness.ts';
import { flusherOn, freshTables } from './flusher-harness.ts';

const CONFIG = parseConfig(`
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs, host-info]
`);

const T = RECORD_TIME_MS;
const TENANT = 'team-a';
const CLIENT = 3;
const SERVER = 2;

function spanRecord(
  partition: number,
  offset: number,
  timestamp: number,
  service: string,
  span: SpanSpec,
  resource: Attributes = {},
): KafkaEventRecord {
  const trace = encodeTempoTrace(
    buildResourceSpans({ resource: { 'service.name': service, ...resource }, spans: [span] }),
  );
  return {
    topic: 'traces',
    partition,
    offset,
    timestamp,
    key: Buffer.from(TENANT).toString('base64'),
    value: Buffer.from(encodePushBytesRequest([trace])).toString('base64'),
    headers: [],
  };
}

const traceId = (i: number) => (0xabc000 + i).toString(16).padStart(32, '0');
const spanIdOf = (i: number) => (0x5000 + i).toString(16).padStart(16, '0');

/** The ingest invocations, in order: [partition 0 batch, partition 1 batch] and so on. */
function ingestSteps(): KafkaEventRecord[][] {
  const a: KafkaEventRecord[] = [];
  const b: KafkaEventRecord[] = [];
  const c: KafkaEventRecord[] = [];
  // X: four requests web -> api, the client half first (partition 0), the server later (partition 1)
  for (let i = 0; i < 4; i++) {
    a.push(
      spanRecord(
        0,
        a.length,
        T,
        'web',
        { traceId: traceId(i), spanId: spanIdOf(i), kind: CLIENT },
        i === 0 ? { 'host.id': 'node-a' } : {},
      ),
    );
    b.push(
      spanRecord(1, b.length, T + 3000, 'api', {
        traceId: traceId(i),
        parentSpanId: spanIdOf(i),
        kind: SERVER,
        status: { code: i === 3 ? 2 : 0 },
      }),
    );
  }
  // Y: three requests cron -> worker, the server half first (partition 0), the client later (partition 1)
  for (let i = 10; i < 13; i++) {
    a.push(spanRecord(0, a.length, T, 'worker', { traceId: traceId(i), parentSpanId: spanIdOf(i), kind: SERVER }));
    b.push(spanRecord(1, b.length, T + 3000, 'cron', { traceId: traceId(i), spanId: spanIdOf(i), kind: CLIENT }));
  }
  // F: halves 15 s apart (wait is 10 s): the client names its peer, so it becomes web -> legacy
  a.push(
    spanRecord(0, a.length, T, 'web', {
      traceId: traceId(20),
      spanId: spanIdOf(20),
      kind: CLIENT,
      attributes: { 'peer.service': 'legacy' },
    }),
  );
  c.push(
    spanRecord(1, b.length + c.length, T + 15_000, 'api', {
      traceId: traceId(20),
      parentSpanId: spanIdOf(20),
      kind: SERVER,
    }),
  );
  // O: a server whose client never reports
  c.push(
    spanRecord(1, b.length + c.length, T + 15_000, 'api', {
      traceId: traceId(30),
      parentSpanId: spanIdOf(30),
      kind: SERVER,
    }),
  );
  return [a, b, c];
}

/**
 * The flusher invocations' clocks; ingest step i runs before flush step i. The fourth is long
 * after the last records (idle expiry), the fifth after stale_duration (15 m): everything is stale.
 */
const FLUSH_CLOCKS = [T + 5_000, T + 8_000, T + 16_000, T + 200_000, T + 30 * 60_000];

/** A fault at the k-th DynamoDB call of one step (an ingest or a save). */
type StepFault = Fault & { readonly step: string };

describe('service graphs across partitions and invocations', async () => {
  const store = await startStore();
  after(() => store.close());
  /** Runs the whole scenario with at most one injected crash; returns the final state and calls per step. */
  async function scenario(
    fault?: StepFault,
  ): Promise<{ states: string[]; calls: Map<string, number>; sender: CheckingSender; crashed: boolean }> {
    const tables = await freshTables(store.client, 'sg');
    const faultsOfStep = new Map<string, CallFaults>();
    /** Counts the calls of `step` and crashes at the fault's call when it is this step's. */
    const faultsOf = (step: string) => {
      const faults = new CallFaults(fault?.step === step ? fault : undefined);
      faultsOfStep.set(step, faults);
      return faults;
    };
    const sender = new CheckingSender();
    let crashed = false;
    const flusher = (ddb: Ddb, clock: Clock) => flusherOn(ddb, tables, sender, clock, {}, CONFIG);
    const ingests = ingestSteps();
    const states: string[] = [];
    for (let i = 0; i < FLUSH_CLOCKS.length; i++) {
      if (i < ingests.length) {
        const step = `ingest ${i}`;
        const ctx = { ...testContext(store.ddb, { config: CONFIG }), table: tables.deltas, maxPartBytes: 300 };
        const deliver = (ddb: Ddb) => ingestEvent({ ...ctx, ddb }, eventOf(ingests[i]));
        try {
          await deliver(faultsOf(step).ddb(store.ddb));
        } catch (e) {
          if (!(e instanceof InjectedCrash)) throw e;
          crashed = true;
          await deliver(store.ddb); // the event source mapping re-delivers the batch
        }
      }
      const step = `save ${i}`;
      const clock = new Clock(FLUSH_CLOCKS[i]);
      const faults = faultsOf(step);
      faults.armed = false;
      const f = flusher(faults.ddb(store.ddb), clock); // a cold container every time
      await f.run(clock.now + 2_000, { persist: false });
      faults.armed = true;
      let saved = f;
      try {
        await f.save();
      } catch (e) {
        if (!(e instanceof InjectedCrash)) throw e;
        crashed = true;
        clock.now += 1_000; // the next invocation starts a little later
        saved = flusher(store.ddb, clock);
        await saved.run(clock.now + 2_000);
      }
      // what the saved epoch holds (a cold load, as the next invocation would see it)
      const check = flusher(store.ddb, new Clock(clock.now));
      await check.load();
      const pairing = check.serviceGraphPairings().get(TENANT);
      states.push(
        [
          formatExposition(check.tenants().get(TENANT) ?? saved.tenants().get(TENANT)!),
          `pending ${pairing?.pending ?? 0}`,
          `expired ${JSON.stringify([...(pairing?.counters.expiredEdges ?? [])])}`,
        ].join('\n'),
      );
    }
    // the steps that made calls, in the order they ran
    const calls = new Map([...faultsOfStep].filter(([, f]) => f.calls > 0).map(([step, f]) => [step, f.calls]));
    return { states, calls, sender, crashed };
  }

  const reference = scenario();

  test('halves in different partitions and invocations, in either order, make one edge each', async () => {
    const { states, sender } = await reference;
    // after the second invocation pair: X and Y paired, F's client still waiting
    assert.match(states[1], /^traces_service_graph_request_total\{client="cron",server="worker"\} 3$/m);
    assert.match(states[1], /^pending 1$/m);
    const state = states[3];
    assert.match(state, /^traces_service_graph_request_total\{client="web",server="api"\} 4$/m);
    assert.match(state, /^traces_service_graph_request_failed_total\{client="web",server="api"\} 1$/m);
    assert.match(state, /^traces_service_graph_request_total\{client="cron",server="worker"\} 3$/m);
    assert.match(state, /^traces_service_graph_request_server_seconds_count\{client="web",server="api"\} 4$/m);
    // halves 15 s apart: the client became a virtual-node edge, the server an expired edge
    assert.match(
      state,
      /^traces_service_graph_request_total\{client="web",connection_type="virtual_node",server="legacy"\} 1$/m,
    );
    assert.doesNotMatch(state, /client="web",server="api"\} 5/);
    assert.match(state, /^expired \[\["SPAN_KIND_SERVER",2\]\]$/m);
    assert.match(state, /^pending 0$/m);
    // host info: sent as 1 while the host sent spans, then a staleness marker once it stopped
    const host = [...sender.last].find(([id]) => id.includes('__name__=traces_host_info'));
    assert.ok(host !== undefined, 'traces_host_info was sent');
    assert.ok(host[0].includes('grafana_host_id=node-a') && host[0].includes('host_source=host.id'), host[0]);
    assert.ok(Number.isNaN(host[1].v), 'the last sample of an idle host is a staleness marker');
    assert.match(state, /^traces_host_info\{grafana_host_id="node-a",host_source="host.id"\} 1$/m);
    assert.doesNotMatch(states[4], /traces_host_info/, 'the stale host left the registry');
  });

  test('a crash at every DynamoDB call of every ingest and every save changes nothing', async () => {
    const { states: expected, calls } = await reference;
    let runs = 0;
    for (const [step, count] of calls) {
      for (let k = 1; k <= count; k++) {
        for (const when of ['before', 'after'] as const) {
          const got = await scenario({ step, k, when });
          assert.ok(got.crashed, `${step} call ${k} ${when}: the fault fired`);
          assert.deepEqual(got.states, expected, `${step}: crash ${when} call ${k}`);
          runs++;
        }
      }
    }
    assert.ok([...calls.keys()].filter((s) => s.startsWith('save')).length === FLUSH_CLOCKS.length);
    assert.ok(runs >= 30, `${runs} faulty runs`);
  });
});
