// Public on-demand list prices, us-east-1, the ones the monthly estimate multiplies units by.

export interface Prices {
  /** $ per write request unit (one started KB of an item written). */
  readonly dynamoWriteUnit: number;
  /** $ per read request unit (one started 4 KB read strongly, half of that eventually consistent). */
  readonly dynamoReadUnit: number;
  /** $ per GB-second of Lambda arm64 (the architecture the stack deploys: infra/functions.ts). */
  readonly lambdaGbSecond: number;
  /** $ per Lambda request. */
  readonly lambdaRequest: number;
  /** $ per custom CloudWatch metric per month (first 10,000 tier). */
  readonly cloudWatchMetricMonth: number;
  /** $ per S3 Standard PUT request (whatever the object's size; DELETE is free). */
  readonly s3PutRequest: number;
  /** $ per S3 Standard GET request. */
  readonly s3GetRequest: number;
  /** $ per GB-month stored in S3 Standard (first 50 TB tier). */
  readonly s3StorageGbMonth: number;
  /** $ per GB-month stored in a DynamoDB Standard table. */
  readonly dynamoStorageGbMonth: number;
}

// DynamoDB on-demand since November 2024 (it was $1.25 / $0.25 per million before).
export const US_EAST_1: Prices = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  cloudWatchMetricMonth: 0.3,
  s3PutRequest: 0.005 / 1000,
  s3GetRequest: 0.0004 / 1000,
  s3StorageGbMonth: 0.023,
  dynamoStorageGbMonth: 0.25,
};

/** 30 days. */
export const SECONDS_PER_MONTH = 30 * 86_400;
