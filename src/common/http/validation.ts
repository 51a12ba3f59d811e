import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrors, ErrorDetail } from '../errors/app-error';

/** Flattens class-validator's tree into field-level details with dotted paths (`items.0.hsCode`). */
export function toErrorDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((issue) => ({ field, issue: rewrite(issue, error) }));
    return [...own, ...toErrorDetails(error.children ?? [], field)];
  });
}

function rewrite(issue: string, error: ValidationError): string {
  // class-validator's whitelist message names the property twice; say it plainly.
  if (issue === `property ${error.property} should not exist`) return 'is not a known field';
  return issue;
}

/** PostgreSQL `text` and `jsonb` cannot hold U+0000, so it is a field error here rather than a 500 from the database. */
export function findNulCharacters(value: unknown, path = ''): ErrorDetail[] {
  const issue = 'must not contain the NUL character (U+0000)';
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: path || 'body', issue }] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const field = path ? `${path}.${key}` : key;
    return key.includes('\u0000') ? [{ field, issue }] : findNulCharacters(child, field);
  });
}

const PRIMITIVES = new Set<unknown>([String, Number, Boolean, Array, Object]);

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // DTO classes only (bodies and query objects), the inputs that reach the database as given.
    const itemWise = (metadata.metatype as { validatesItemsItself?: boolean } | undefined)?.validatesItemsItself;
    if (metadata.type !== 'custom' && metadata.metatype && !PRIMITIVES.has(metadata.metatype) && !itemWise) {
      const details = findNulCharacters(value, metadata.data ?? '');
      if (details.length > 0) throw CommonErrors.validation(details);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => CommonErrors.validation(toErrorDetails(errors)),
  });
}
