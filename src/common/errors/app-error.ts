/**
 * Every error a client can see carries a stable, machine-readable code. Modules define their codes in
 * `*.errors.ts`; the one global filter maps them to HTTP statuses and the response body.
 */
export interface ErrorDetail {
  field: string;
  issue: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Common codes shared by every module. */
export const CommonErrors = {
  validation: (details: ErrorDetail[], message = 'The request is invalid.') =>
    new AppError('VALIDATION_FAILED', 400, message, details),
  malformedJson: () => new AppError('MALFORMED_JSON', 400, 'The request body is not valid JSON.'),
  payloadTooLarge: () => new AppError('PAYLOAD_TOO_LARGE', 413, 'The request body is too large.'),
  unauthenticated: () =>
    new AppError('UNAUTHENTICATED', 401, 'A valid API key is required in the Authorization header (Bearer <key>).'),
  forbidden: (message = 'This key may not perform this operation.') => new AppError('FORBIDDEN', 403, message),
  notFound: (what: string) => new AppError('NOT_FOUND', 404, `${what} was not found.`),
  routeNotFound: () => new AppError('ROUTE_NOT_FOUND', 404, 'No such endpoint.'),
  methodNotAllowed: () => new AppError('METHOD_NOT_ALLOWED', 405, 'This method is not allowed here.'),
  unsupportedMediaType: () =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the request body as application/json.'),
  unsupportedCharset: () =>
    new AppError('UNSUPPORTED_CHARSET', 415, 'Send the JSON body encoded as UTF-8.', [
      { field: 'Content-Type', issue: 'its charset must be utf-8 (or left out)' },
    ]),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('RATE_LIMITED', 429, 'Too many requests; retry after the given number of seconds.', [], {
      'Retry-After': String(retryAfterSeconds),
    }),
  internal: () => new AppError('INTERNAL_ERROR', 500, 'Something went wrong on our side. Quote the requestId when you contact support.'),
  unavailable: () => new AppError('SERVICE_UNAVAILABLE', 503, 'The service is temporarily unavailable; retry shortly.'),
};
