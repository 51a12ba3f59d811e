import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { CommonErrors } from '../errors/app-error';

/** Path ids must be UUIDs; anything else is a field-level 400, never a database error. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUUID(value)) throw CommonErrors.validation([{ field: metadata.data ?? 'id', issue: 'must be a UUID' }]);
    return value.toLowerCase();
  }
}
