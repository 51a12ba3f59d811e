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
    const fromParser = exception.cause !== undefined ? fromBodyParser(exception.cause) : undefined;
    if (fromParser) return fromParser;
    if (status >= 500) return undefined;
    const known = HTTP_CODES[status];
    if (known) return known();
    return new AppError(`HTTP_${status}`, status, exception.message);
  }
  return fromBodyParser(exception);
}

/** body-parser errors carry a `type`; Nest wraps them in an HttpException with the original as `cause`. */
function fromBodyParser(cause: unknown): AppError | undefined {
  const e = cause as { type?: string; status?: number; statusCode?: number; code?: string } | null;
  if (!e || typeof e !== 'object') return undefined;
  // Fastify's own request errors (content-type parsers, body limit) carry a `code` and a `statusCode`.
  if (typeof e.code === 'string' && e.code.startsWith('FST_ERR_')) {
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return CommonErrors.payloadTooLarge();
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return CommonErrors.unsupportedMediaType();
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return CommonErrors.malformedJson();
  }
  if ((e.statusCode === 400 && cause instanceof SyntaxError) || (cause instanceof SyntaxError && !e.status)) return CommonErrors.malformedJson();
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) {
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new AppError(`HTTP_${e.statusCode}`, e.statusCode, 'The request could not be read.');
    return undefined;
  }
  if (e.type === 'entity.parse.failed') return CommonErrors.malformedJson();
  if (e.type === 'entity.too.large') return CommonErrors.payloadTooLarge();
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return CommonErrors.unsupportedMediaType();
  if (cause instanceof URIError) return new AppError('MALFORMED_URL', 400, 'The URL is not correctly encoded.');
  return new AppError(`HTTP_${e.status}`, e.status, 'The request could not be read.');
}
