import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AppError, CommonErrors, ErrorDetail } from './app-error';

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
  requestId: string;
}

export interface ErrorResponse {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  headers: Record<string, string>;
  /** True when the cause is ours, not the client's: it is logged with its stack and never shown. */
  internal: boolean;
}

const HTTP_CODES: Record<number, () => AppError> = {
  404: CommonErrors.routeNotFound,
  405: CommonErrors.methodNotAllowed,
  413: CommonErrors.payloadTooLarge,
  415: CommonErrors.unsupportedMediaType,
};

/** Turns anything thrown into the stable error shape. Shared by the global filter and idempotency. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  const appError = toAppError(exception);
  if (appError) {
    return {
      status: appError.status,
      body: { error: { code: appError.code, message: appError.message, details: appError.details } },
      headers: appError.headers,
      internal: false,
    };
  }
  const internal = CommonErrors.internal();
  return {
    status: 500,
    body: { error: { code: internal.code, message: internal.message, details: [] } },
    headers: {},
    internal: true,
  };
}

function toAppError(exception: unknown): AppError | undefined {
  if (exception instanceof AppError) return exception;
  if (exception instanceof ThrottlerException) return CommonErrors.rateLimited(60);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const fromParser = exception.cause !== undefined ? fromRequestReading(exception.cause) : undefined;
    if (fromParser) return fromParser;
    if (status >= 500) return undefined;
    const known = HTTP_CODES[status];
    if (known) return known();
    return new AppError(`HTTP_${status}`, status, exception.message);
  }
  return fromRequestReading(exception);
}

/**
 * Errors Fastify raises while reading a request (its content-type parsers, the body limit, a bad URL; our JSON
 * parser raises Fastify's own, and PASSAGE_UNSUPPORTED_CHARSET in the same form): a `code` and a 4xx `statusCode`.
 * Anything else is not a request-reading error.
 */
const REQUEST_READING: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrors.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrors.malformedJson,
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrors.payloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrors.unsupportedMediaType,
  PASSAGE_UNSUPPORTED_CHARSET: CommonErrors.unsupportedCharset,
  FST_ERR_BAD_URL: () => new AppError('MALFORMED_URL', 400, 'The URL is not correctly encoded.'),
};

function fromRequestReading(cause: unknown): AppError | undefined {
  const e = cause as { code?: unknown; statusCode?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500) return undefined;
  const known = typeof e.code === 'string' ? REQUEST_READING[e.code] : undefined;
  return known ? known() : new AppError(`HTTP_${e.statusCode}`, e.statusCode, 'The request could not be read.');
}
