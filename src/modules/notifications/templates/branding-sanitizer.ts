import { TemplateErrors } from './templates.errors';

/**
 * Values that reach HTML attributes (href, src, style) are checked before the layout sees them: escaping
 * stops a value breaking out of its attribute, but not `javascript:` in an href or `red;background:url()`
 * in a style. Anything that fails is dropped (or, for the colour, replaced) and reported as a warning.
 */

export interface Branding {
  /** Plain text; escaped wherever it appears. */
  retailerName: string;
  logoUrl?: string | null;
  /** `#rrggbb`; anything else falls back to the Passage default. */
  primaryColor?: string | null;
  supportEmail?: string | null;
  supportPhone?: string | null;
}

export interface SafeBranding {
  retailerName: string;
  logoUrl: string | null;
  primaryColor: string;
  /** Black or white, whichever reads better on the primary colour. */
  onPrimaryColor: string;
  supportEmail: string | null;
  supportPhone: string | null;
  /** `tel:` URI with the digits only. */
  supportPhoneHref: string | null;
}

export const DEFAULT_PRIMARY_COLOR = '#1f4e79';
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
// Deliberately simple: it guards the mailto: link; the address was validated when the retailer saved it.
const EMAIL = /^[^\s@<>()"',;:\\]+@[^\s@<>()"',;:\\]+\.[^\s@<>()"',;:\\]+$/;
const PHONE = /^\+?[0-9][0-9 ().\-/]{3,24}$/;

/** An absolute http(s) URL, normalised by the WHATWG parser; anything else (javascript:, data:, relative) is null. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

export function safeColor(value: unknown): string | null {
  return typeof value === 'string' && HEX_COLOR.test(value) ? value.toLowerCase() : null;
}

/** WCAG relative luminance decides the text colour on the button, so a pale brand colour stays legible. */
export function readableTextOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05; they are equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

export function sanitizeBranding(branding: Branding, warnings: string[]): SafeBranding {
  const retailerName = typeof branding.retailerName === 'string' ? branding.retailerName.replace(/[\r\n\t]+/g, ' ').trim() : '';
  if (retailerName === '') throw TemplateErrors.invalidBranding([{ field: 'branding.retailerName', issue: 'is required' }]);

  const primaryColor = safeColor(branding.primaryColor);
  if (branding.primaryColor && !primaryColor) warnings.push('branding.primaryColor is not #rrggbb; the default colour is used');
  const color = primaryColor ?? DEFAULT_PRIMARY_COLOR;

  const logoUrl = safeUrl(branding.logoUrl);
  if (branding.logoUrl && !logoUrl) warnings.push('branding.logoUrl is not an http(s) URL; the name is shown instead');

  const email = typeof branding.supportEmail === 'string' ? branding.supportEmail.trim() : '';
  const supportEmail = EMAIL.test(email) ? email : null;
  if (email && !supportEmail) warnings.push('branding.supportEmail is not an email address; it is left out');

  const phone = typeof branding.supportPhone === 'string' ? branding.supportPhone.trim() : '';
  const supportPhone = PHONE.test(phone) ? phone : null;
  if (phone && !supportPhone) warnings.push('branding.supportPhone is not a phone number; it is left out');

  return {
    retailerName,
    logoUrl,
    primaryColor: color,
    onPrimaryColor: readableTextOn(color),
    supportEmail,
    supportPhone,
    supportPhoneHref: supportPhone ? `tel:${supportPhone.replace(/[^0-9+]/g, '')}` : null,
  };
}
