// Prometheus remote write 1.0: encode collected series, compress, send with auth and retries.

export { encodeWriteRequest } from './encode.ts';
export { splitRequests, seriesWeight } from './split.ts';
export { compress, decompress } from './compress.ts';
export { validateSeries, histogramProblem } from './validate.ts';
export { RemoteWriteClient, ERROR_BODY_LIMIT } from './client.ts';
export type { RemoteWriteClientOptions } from './client.ts';
export type { SendOptions } from './send-session.ts';
export type { PostFn, PostResponse } from './http-post.ts';
export type { Counts, DroppedSeries, FailureClass, RequestResult, SendResult } from './result.ts';
export { tenantHeaders, ORG_ID_HEADER, PROTOCOL_HEADERS, SINGLE_TENANT, USER_AGENT } from './headers.ts';
export { EndpointAuth, SIGV4_SERVICE } from './auth.ts';
export type { AuthDeps, RequestAuthenticator } from './auth.ts';
export { Sha256, SigV4Signer } from './sigv4.ts';
export type { SigV4Credentials, SigV4SignerOptions, SignableRequest } from './sigv4.ts';
export { DEFAULT_BACKOFF, backoffDelay, parseRetryAfter, isRetryableStatus } from './retry.ts';
export type { Backoff } from './retry.ts';
