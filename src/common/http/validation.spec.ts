import type { ValidationError } from '@nestjs/common';
import { toErrorDetails } from './validation';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError =>
  ({ property, constraints, children });

describe('toErrorDetails', () => {
  it('names a top-level field by its property', () => {
    expect(toErrorDetails([error('reference', { isNotEmpty: 'reference should not be empty' })])).toEqual([
      { field: 'reference', issue: 'reference should not be empty' },
    ]);
  });

  it('flattens nested objects and array items into dotted paths', () => {
    const tree = [
      error('consignee', undefined, [error('address', undefined, [error('postcode', { isPostcodeForCountry: 'is not a valid postcode for DE' })])]),
      error('items', undefined, [error('0', undefined, [error('hsCode', { isHsCode: 'must be an HS code of 6 to 10 digits' })])]),
    ];
    expect(toErrorDetails(tree)).toEqual([
      { field: 'consignee.address.postcode', issue: 'is not a valid postcode for DE' },
      { field: 'items.0.hsCode', issue: 'must be an HS code of 6 to 10 digits' },
    ]);
  });

  it('lists every constraint of a field and the errors of its children', () => {
    const details = toErrorDetails([
      error('notify', { isObject: 'notify must be an object' }, [error('sms', { isBoolean: 'sms must be a boolean value' })]),
    ]);
    expect(details).toEqual([
      { field: 'notify', issue: 'notify must be an object' },
      { field: 'notify.sms', issue: 'sms must be a boolean value' },
    ]);
  });

  it('says plainly that an unknown field is not known', () => {
    expect(toErrorDetails([error('colour', { whitelistValidation: 'property colour should not exist' })])).toEqual([
      { field: 'colour', issue: 'is not a known field' },
    ]);
  });

  it('prefixes paths with the given parent', () => {
    expect(toErrorDetails([error('city', { isString: 'city must be a string' })], 'origin')).toEqual([
      { field: 'origin.city', issue: 'city must be a string' },
    ]);
  });

  it('returns nothing for no errors', () => {
    expect(toErrorDetails([])).toEqual([]);
  });
});
