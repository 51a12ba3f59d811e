import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import * as countries from 'i18n-iso-countries';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import currencyCodes from 'currency-codes';

/** Field validators built on the libraries the field uses; no hand-written tables. */

export function isIsoCountry(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && countries.isValid(value);
}

export function isIsoCurrency(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && currencyCodes.code(value) !== undefined;
}

/** E.164 (`+` and digits only) and valid for the country it belongs to. */
export function isE164Phone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\+[1-9]\d{6,14}$/.test(value)) return false;
  return isValidPhoneNumber(value) && parsePhoneNumberFromString(value)?.number === value;
}

/** True when the country has a postcode format and the value matches it (or the country has none). */
export function isPostcodeFor(postcode: string, country: string): boolean {
  if (!postcodeValidatorExistsForCountry(country)) return true;
  return postcodeValidator(postcode, country);
}

export function isBcp47Locale(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 35) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** HS codes: 6 to 10 digits (dots and spaces, as printed on invoices, are ignored). */
export function normalizeHsCode(value: string): string {
  return value.replace(/[.\s]/g, '');
}
export function isHsCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6,10}$/.test(normalizeHsCode(value));
}

function simple(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) =>
    (object: object, propertyName: string) =>
      registerDecorator({
        name,
        target: object.constructor,
        propertyName,
        options: { message, ...options },
        validator: { validate: (value: unknown) => test(value) },
      });
}

export const IsIsoCountry = simple('isIsoCountry', isIsoCountry, 'must be an ISO 3166-1 alpha-2 country code (e.g. DE)');
export const IsIsoCurrency = simple('isIsoCurrency', isIsoCurrency, 'must be an ISO 4217 currency code (e.g. EUR)');
export const IsE164Phone = simple('isE164Phone', isE164Phone, 'must be a valid phone number in E.164 format (e.g. +4915123456789)');
export const IsBcp47Locale = simple('isBcp47Locale', isBcp47Locale, 'must be a BCP 47 language tag (e.g. de-DE)');
export const IsHsCode = simple('isHsCode', isHsCode, 'must be an HS code of 6 to 10 digits');

/** Validates a postcode against the country held in a sibling property. */
export function IsPostcodeForCountry(countryProperty: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPostcodeForCountry',
      target: object.constructor,
      propertyName,
      constraints: [countryProperty],
      options: { message: (args) => `is not a valid postcode for ${String((args.object as Record<string, unknown>)[countryProperty])}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const country = (args.object as Record<string, unknown>)[countryProperty];
          if (typeof value !== 'string') return false;
          if (!isIsoCountry(country)) return true; // the country field reports its own error
          return isPostcodeFor(value, country);
        },
      },
    });
}
