import { BadRequestException, HttpException, HttpStatus, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { errorCodes } from 'fastify';
import { AppError, CommonErrors } from './app-error';
import { toErrorResponse } from './error-response';


describe('toErrorResponse', () => {
  it('keeps an AppError as it is: status, code, message, details and headers', () => {
    const error = new AppError('SHIPMENT_NOT_CANCELLABLE', 409, 'Too late to cancel.', [{ field: 'status', issue: 'is in_transit' }], {
      'X-Hint': 'a',
    });
    expect(toErrorResponse(error)).toEqual({
      status: 409,
      body: { error: { code: 'SHIPMENT_NOT_CANCELLABLE', message: 'Too late to cancel.', details: [{ field: 'status', issue: 'is in_transit' }] } },
      headers: { 'X-Hint': 'a' },
      internal: false,
    });
  });

  it('turns the throttler into RATE_LIMITED with a Retry-After header', () => {
    const response = toErrorResponse(new ThrottlerException());
    expect(response).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } }, headers: { 'Retry-After': '60' }, internal: false });
  });

  it.each([
    [new NotFoundException('Cannot GET /nope'), 404, 'ROUTE_NOT_FOUND'],
    [new HttpException('no', HttpStatus.METHOD_NOT_ALLOWED), 405, 'METHOD_NOT_ALLOWED'],
    [new HttpException('big', HttpStatus.PAYLOAD_TOO_LARGE), 413, 'PAYLOAD_TOO_LARGE'],
    [new HttpException('type', HttpStatus.UNSUPPORTED_MEDIA_TYPE), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new HttpException('teapot', 418), 418, 'HTTP_418'],
  ])('maps a framework %p to %i %s', (exception, status, code) => {
    const response = toErrorResponse(exception);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.internal).toBe(false);
  });

  it('does not leak the framework message for known statuses', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /internal/secret')).body.error.message).toBe('No such endpoint.');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'MALFORMED_JSON'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'MALFORMED_JSON'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'HTTP_400'],
  ] as const)('maps Fastify\'s request error %s, raw or wrapped by Nest, to %i %s', (name, expectedStatus, code) => {
    const raw = new errorCodes[name]('application/json');
    const wrapped = new BadRequestException('Bad Request', { cause: raw });
    for (const exception of [raw, wrapped]) {
      expect(toErrorResponse(exception)).toMatchObject({ status: expectedStatus, body: { error: { code } }, internal: false });
    }
  });

  it('reports a badly encoded URL as MALFORMED_URL', () => {
    expect(toErrorResponse(new errorCodes.FST_ERR_BAD_URL('%E0%A4%A'))).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_URL' } } });
  });

  it.each([
    ['an Error', new Error('connection to postgres://admin:hunter2@db failed')],
    ['a thrown string', 'hunter2'],
    ['undefined', undefined],
    ['a 5xx HttpException', new ServiceUnavailableException('pool exhausted at db.internal:5432')],
    ['an object posing as a 5xx request error', { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 500 }],
  ])('turns %s into a 500 INTERNAL_ERROR that reveals nothing', (_what, exception) => {
    const response = toErrorResponse(exception);
    expect(response).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL_ERROR', message: CommonErrors.internal().message, details: [] } },
      headers: {},
      internal: true,
    });
    expect(JSON.stringify(response)).not.toMatch(/hunter2|postgres|pool|db\.internal/);
  });
});
