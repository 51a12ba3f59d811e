import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class ErrorDetailDto {
  @ApiProperty({ example: 'consignee.address.postcode' }) field: string;
  @ApiProperty({ example: 'is not a valid postcode for DE' }) issue: string;
}
class ErrorInnerDto {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty({ example: 'The request is invalid.' }) message: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details: ErrorDetailDto[];
}
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorInnerDto }) error: ErrorInnerDto;
  @ApiPropertyOptional({ example: '6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10' }) requestId: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `VALIDATION_FAILED` (with field details), `MALFORMED_JSON`, `INVALID_CURSOR`, `IDEMPOTENCY_KEY_INVALID`',
  401: '`UNAUTHENTICATED`: missing or unknown key',
  403: '`FORBIDDEN`: this kind of key may not call the endpoint',
  404: 'Not found (also for resources of another retailer)',
  409: 'Conflict with the current state (codes per endpoint), or `IDEMPOTENCY_KEY_IN_FLIGHT`',
  422: '`IDEMPOTENCY_KEY_REUSED`: the same Idempotency-Key with a different body',
  429: '`RATE_LIMITED`, with a Retry-After header',
};

/** Documents the error responses an endpoint can give, all in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...[...new Set([...statuses, 429])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
