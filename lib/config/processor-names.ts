// The per-tenant `processors` list -> which processors and subprocessors run
// (Tempo: modules/generator/instance.go updateSubprocessors, processor/*/subprocessors.go).

export const SPAN_METRICS = 'span-metrics';
export const SPAN_METRICS_COUNT = 'span-metrics-count';
export const SPAN_METRICS_LATENCY = 'span-metrics-latency';
export const SPAN_METRICS_SIZE = 'span-metrics-size';
export const SERVICE_GRAPHS = 'service-graphs';
export const SERVICE_GRAPHS_REQUEST = 'service-graphs-request';
export const SERVICE_GRAPHS_LATENCY = 'service-graphs-latency';
export const SERVICE_GRAPHS_CONNECTION_INFO = 'service-graphs-connection-info';
export const HOST_INFO = 'host-info';

export const SUPPORTED_PROCESSORS: readonly string[] = [
  SERVICE_GRAPHS,
  SERVICE_GRAPHS_REQUEST,
  SERVICE_GRAPHS_LATENCY,
  SERVICE_GRAPHS_CONNECTION_INFO,
  SPAN_METRICS,
  SPAN_METRICS_COUNT,
  SPAN_METRICS_LATENCY,
  SPAN_METRICS_SIZE,
  HOST_INFO,
];

export interface ProcessorSelection {
  /** The listed names that are valid. */
  readonly names: ReadonlySet<string>;
  readonly spanMetrics?: { readonly count: boolean; readonly latency: boolean; readonly size: boolean };
  readonly serviceGraphs?: { readonly request: boolean; readonly latency: boolean; readonly connectionInfo: boolean };
  readonly hostInfo: boolean;
}

/**
 * Bare `span-metrics` turns on all three span-metrics subprocessors and wins over sub-names;
 * otherwise each listed `span-metrics-*` name turns on its own. Bare `service-graphs` means
 * request + latency, plus connection-info only when that sub-name is listed too. Unknown names
 * are dropped with a warning, as Tempo does.
 */
export function selectProcessors(listed: readonly string[], warnUnknown: (name: string) => void): ProcessorSelection {
  const names = new Set<string>();
  for (const n of listed) {
    if (SUPPORTED_PROCESSORS.includes(n)) names.add(n);
    else warnUnknown(n);
  }
  const has = (n: string) => names.has(n);

  let spanMetrics: ProcessorSelection['spanMetrics'];
  if (has(SPAN_METRICS)) spanMetrics = { count: true, latency: true, size: true };
  else if (has(SPAN_METRICS_COUNT) || has(SPAN_METRICS_LATENCY) || has(SPAN_METRICS_SIZE)) {
    spanMetrics = { count: has(SPAN_METRICS_COUNT), latency: has(SPAN_METRICS_LATENCY), size: has(SPAN_METRICS_SIZE) };
  }

  let serviceGraphs: ProcessorSelection['serviceGraphs'];
  if (has(SERVICE_GRAPHS))
    serviceGraphs = { request: true, latency: true, connectionInfo: has(SERVICE_GRAPHS_CONNECTION_INFO) };
  else if (has(SERVICE_GRAPHS_REQUEST) || has(SERVICE_GRAPHS_LATENCY) || has(SERVICE_GRAPHS_CONNECTION_INFO)) {
    serviceGraphs = {
      request: has(SERVICE_GRAPHS_REQUEST),
      latency: has(SERVICE_GRAPHS_LATENCY),
      connectionInfo: has(SERVICE_GRAPHS_CONNECTION_INFO),
    };
  }

  return { names, spanMetrics, serviceGraphs, hostInfo: has(HOST_INFO) };
}
