import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace prometheus {

    interface IWriteRequest extends prometheus.WriteRequest.$Properties {
    }

    class WriteRequest {
        constructor(properties?: prometheus.WriteRequest.$Properties);
        $unknowns?: Uint8Array[];
        timeseries: prometheus.TimeSeries.$Properties[];
        metadata: prometheus.MetricMetadata.$Properties[];
        static create(properties: prometheus.WriteRequest.$Shape): prometheus.WriteRequest & prometheus.WriteRequest.$Shape;
        static create(properties?: prometheus.WriteRequest.$Properties): prometheus.WriteRequest;
        static encode(message: prometheus.WriteRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.WriteRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.WriteRequest & prometheus.WriteRequest.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.WriteRequest & prometheus.WriteRequest.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.WriteRequest;
        static toObject(message: prometheus.WriteRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace WriteRequest {
        interface $Properties {
            timeseries?: (prometheus.TimeSeries.$Properties[]|null);
            metadata?: (prometheus.MetricMetadata.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = {
          timeseries?: prometheus.TimeSeries.$Shape[]|null;
          metadata?: prometheus.MetricMetadata.$Shape[]|null;
          $unknowns?: Uint8Array[];
        };
    }

    interface IMetricMetadata extends prometheus.MetricMetadata.$Properties {
    }

    class MetricMetadata {
        constructor(properties?: prometheus.MetricMetadata.$Properties);
        $unknowns?: Uint8Array[];
        type: prometheus.MetricMetadata.MetricType;
        metricFamilyName: string;
        help: string;
        unit: string;
        static create(properties: prometheus.MetricMetadata.$Shape): prometheus.MetricMetadata & prometheus.MetricMetadata.$Shape;
        static create(properties?: prometheus.MetricMetadata.$Properties): prometheus.MetricMetadata;
        static encode(message: prometheus.MetricMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.MetricMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.MetricMetadata & prometheus.MetricMetadata.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.MetricMetadata & prometheus.MetricMetadata.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.MetricMetadata;
        static toObject(message: prometheus.MetricMetadata, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace MetricMetadata {
        interface $Properties {
            type?: (prometheus.MetricMetadata.MetricType|null);
            metricFamilyName?: (string|null);
            help?: (string|null);
            unit?: (string|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = prometheus.MetricMetadata.$Properties;

        enum MetricType {
            UNKNOWN = 0,
            COUNTER = 1,
            GAUGE = 2,
            HISTOGRAM = 3,
            GAUGEHISTOGRAM = 4,
            SUMMARY = 5,
            INFO = 6,
            STATESET = 7
        }
    }

    interface ITimeSeries extends prometheus.TimeSeries.$Properties {
    }

    class TimeSeries {
        constructor(properties?: prometheus.TimeSeries.$Properties);
        $unknowns?: Uint8Array[];
        labels: prometheus.Label.$Properties[];
        samples: prometheus.Sample.$Properties[];
        exemplars: prometheus.Exemplar.$Properties[];
        histograms: prometheus.Histogram.$Properties[];
        static create(properties: prometheus.TimeSeries.$Shape): prometheus.TimeSeries & prometheus.TimeSeries.$Shape;
        static create(properties?: prometheus.TimeSeries.$Properties): prometheus.TimeSeries;
        static encode(message: prometheus.TimeSeries.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.TimeSeries.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.TimeSeries & prometheus.TimeSeries.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.TimeSeries & prometheus.TimeSeries.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.TimeSeries;
        static toObject(message: prometheus.TimeSeries, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace TimeSeries {
        interface $Properties {
            labels?: (prometheus.Label.$Properties[]|null);
            samples?: (prometheus.Sample.$Properties[]|null);
            exemplars?: (prometheus.Exemplar.$Properties[]|null);
            histograms?: (prometheus.Histogram.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = {
          labels?: prometheus.Label.$Shape[]|null;
          samples?: prometheus.Sample.$Shape[]|null;
          exemplars?: prometheus.Exemplar.$Shape[]|null;
          histograms?: prometheus.Histogram.$Shape[]|null;
          $unknowns?: Uint8Array[];
        };
    }

    interface ILabel extends prometheus.Label.$Properties {
    }

    class Label {
        constructor(properties?: prometheus.Label.$Properties);
        $unknowns?: Uint8Array[];
        name: string;
        value: string;
        static create(properties: prometheus.Label.$Shape): prometheus.Label & prometheus.Label.$Shape;
        static create(properties?: prometheus.Label.$Properties): prometheus.Label;
        static encode(message: prometheus.Label.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.Label.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.Label & prometheus.Label.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.Label & prometheus.Label.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.Label;
        static toObject(message: prometheus.Label, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace Label {
        interface $Properties {
            name?: (string|null);
            value?: (string|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = prometheus.Label.$Properties;
    }

    interface ISample extends prometheus.Sample.$Properties {
    }

    class Sample {
        constructor(properties?: prometheus.Sample.$Properties);
        $unknowns?: Uint8Array[];
        value: number;
        timestamp: (number|Long);
        static create(properties: prometheus.Sample.$Shape): prometheus.Sample & prometheus.Sample.$Shape;
        static create(properties?: prometheus.Sample.$Properties): prometheus.Sample;
        static encode(message: prometheus.Sample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.Sample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.Sample & prometheus.Sample.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.Sample & prometheus.Sample.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.Sample;
        static toObject(message: prometheus.Sample, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace Sample {
        interface $Properties {
            value?: (number|null);
            timestamp?: (number|Long|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = prometheus.Sample.$Properties;
    }

    interface IExemplar extends prometheus.Exemplar.$Properties {
    }

    class Exemplar {
        constructor(properties?: prometheus.Exemplar.$Properties);
        $unknowns?: Uint8Array[];
        labels: prometheus.Label.$Properties[];
        value: number;
        timestamp: (number|Long);
        static create(properties: prometheus.Exemplar.$Shape): prometheus.Exemplar & prometheus.Exemplar.$Shape;
        static create(properties?: prometheus.Exemplar.$Properties): prometheus.Exemplar;
        static encode(message: prometheus.Exemplar.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.Exemplar.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.Exemplar & prometheus.Exemplar.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.Exemplar & prometheus.Exemplar.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.Exemplar;
        static toObject(message: prometheus.Exemplar, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace Exemplar {
        interface $Properties {
            labels?: (prometheus.Label.$Properties[]|null);
            value?: (number|null);
            timestamp?: (number|Long|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = prometheus.Exemplar.$Properties;
    }

    interface IHistogram extends prometheus.Histogram.$Properties {
    }

    class Histogram {
        constructor(properties?: prometheus.Histogram.$Properties);
        $unknowns?: Uint8Array[];
        countInt?: (number|Long|null);
        countFloat?: (number|null);
        sum: number;
        schema: number;
        zeroThreshold: number;
        zeroCountInt?: (number|Long|null);
        zeroCountFloat?: (number|null);
        negativeSpans: prometheus.BucketSpan.$Properties[];
        negativeDeltas: (number|Long)[];
        negativeCounts: number[];
        positiveSpans: prometheus.BucketSpan.$Properties[];
        positiveDeltas: (number|Long)[];
        positiveCounts: number[];
        resetHint: prometheus.Histogram.ResetHint;
        timestamp: (number|Long);
        customValues: number[];
        count?: ("countInt"|"countFloat");
        zeroCount?: ("zeroCountInt"|"zeroCountFloat");
        static create(properties: prometheus.Histogram.$Shape): prometheus.Histogram & prometheus.Histogram.$Shape;
        static create(properties?: prometheus.Histogram.$Properties): prometheus.Histogram;
        static encode(message: prometheus.Histogram.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.Histogram.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.Histogram & prometheus.Histogram.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.Histogram & prometheus.Histogram.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.Histogram;
        static toObject(message: prometheus.Histogram, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace Histogram {
        interface $Properties {
            countInt?: (number|Long|null);
            countFloat?: (number|null);
            sum?: (number|null);
            schema?: (number|null);
            zeroThreshold?: (number|null);
            zeroCountInt?: (number|Long|null);
            zeroCountFloat?: (number|null);
            negativeSpans?: (prometheus.BucketSpan.$Properties[]|null);
            negativeDeltas?: ((number|Long)[]|null);
            negativeCounts?: (number[]|null);
            positiveSpans?: (prometheus.BucketSpan.$Properties[]|null);
            positiveDeltas?: ((number|Long)[]|null);
            positiveCounts?: (number[]|null);
            resetHint?: (prometheus.Histogram.ResetHint|null);
            timestamp?: (number|Long|null);
            customValues?: (number[]|null);
            count?: ("countInt"|"countFloat");
            zeroCount?: ("zeroCountInt"|"zeroCountFloat");
            $unknowns?: Uint8Array[];
        }
        type $Shape = {
          countInt?: number|Long|null;
          countFloat?: number|null;
          sum?: number|null;
          schema?: number|null;
          zeroThreshold?: number|null;
          zeroCountInt?: number|Long|null;
          zeroCountFloat?: number|null;
          negativeSpans?: prometheus.BucketSpan.$Shape[]|null;
          negativeDeltas?: (number|Long)[]|null;
          negativeCounts?: number[]|null;
          positiveSpans?: prometheus.BucketSpan.$Shape[]|null;
          positiveDeltas?: (number|Long)[]|null;
          positiveCounts?: number[]|null;
          resetHint?: prometheus.Histogram.ResetHint|null;
          timestamp?: number|Long|null;
          customValues?: number[]|null;
          $unknowns?: Uint8Array[];
        } & (
          ({ count?: undefined; countInt?: null; countFloat?: null }|{ count?: "countInt"; countInt: number|Long; countFloat?: null }|{ count?: "countFloat"; countInt?: null; countFloat: number })
        ) & (
          ({ zeroCount?: undefined; zeroCountInt?: null; zeroCountFloat?: null }|{ zeroCount?: "zeroCountInt"; zeroCountInt: number|Long; zeroCountFloat?: null }|{ zeroCount?: "zeroCountFloat"; zeroCountInt?: null; zeroCountFloat: number })
        );

        enum ResetHint {
            UNKNOWN = 0,
            YES = 1,
            NO = 2,
            GAUGE = 3
        }
    }

    interface IBucketSpan extends prometheus.BucketSpan.$Properties {
    }

    class BucketSpan {
        constructor(properties?: prometheus.BucketSpan.$Properties);
        $unknowns?: Uint8Array[];
        offset: number;
        length: number;
        static create(properties: prometheus.BucketSpan.$Shape): prometheus.BucketSpan & prometheus.BucketSpan.$Shape;
        static create(properties?: prometheus.BucketSpan.$Properties): prometheus.BucketSpan;
        static encode(message: prometheus.BucketSpan.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: prometheus.BucketSpan.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prometheus.BucketSpan & prometheus.BucketSpan.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prometheus.BucketSpan & prometheus.BucketSpan.$Shape;
        static verify(message: { [k: string]: any }): (string|null);
        static fromObject(object: { [k: string]: any }): prometheus.BucketSpan;
        static toObject(message: prometheus.BucketSpan, options?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace BucketSpan {
        interface $Properties {
            offset?: (number|null);
            length?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = prometheus.BucketSpan.$Properties;
    }
}
