// One recorded metric value, as the recorder keeps it and the EMF and CloudWatch-rule code read it.

export type Unit = 'Count' | 'Bytes' | 'Milliseconds' | 'Seconds' | 'None';
export type Dimensions = Readonly<Record<string, string>>;

export interface RecordedMetric {
  readonly name: string;
  readonly unit: Unit;
  readonly dims: Dimensions;
  value: number;
}
