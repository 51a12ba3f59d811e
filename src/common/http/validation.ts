import { ValidationError, ValidationPipe } from '@nestjs/common';
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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => CommonErrors.validation(toErrorDetails(errors)),
  });
}
