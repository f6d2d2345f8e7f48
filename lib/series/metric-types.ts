// Every metric type the registry holds, keyed by the type name increments and series carry:
// adding a type is a module implementing MetricType (metric-type.ts) and a row here.

import { counterType } from './counter.ts';
import { gaugeType } from './gauge.ts';
import { histogramType } from './histogram.ts';
import type { MetricType } from './metric-type.ts';
import type { SeriesType } from './series-state.ts';

const METRIC_TYPES: { readonly [T in SeriesType]: MetricType } = {
  counter: counterType,
  gauge: gaugeType,
  histogram: histogramType,
};

/** The module of a metric type. */
export function metricType(type: SeriesType): MetricType {
  return METRIC_TYPES[type];
}
