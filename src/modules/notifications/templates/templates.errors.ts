import { AppError, CommonErrors, ErrorDetail } from '../../../common/errors/app-error';

/**
 * Rendering errors name the offending field (a variable, a catalog string or an override string) and never
 * echo its value: variables hold consignee data.
 */
export const TemplateErrors = {
  invalidOverride: (details: ErrorDetail[]) => CommonErrors.validation(details, 'The template override is invalid.'),
  unknownKind: (kind: unknown) =>
    new AppError('TEMPLATE_UNKNOWN_KIND', 422, `There is no template for message kind ${String(kind)}.`, [
      { field: 'kind', issue: 'is not a known message kind' },
    ]),
  channelNotSupported: (kind: string, channel: string) =>
    new AppError('TEMPLATE_CHANNEL_NOT_SUPPORTED', 422, `Message kind ${kind} is not sent by ${channel}.`, [
      { field: 'kind', issue: `has no ${channel} template` },
    ]),
  invalidTimeZone: () =>
    new AppError('TEMPLATE_INVALID_TIME_ZONE', 422, 'The time zone is not a known IANA time zone.', [
      { field: 'timeZone', issue: 'must be an IANA time zone such as Europe/Berlin' },
    ]),
  invalidBranding: (details: ErrorDetail[]) =>
    new AppError('TEMPLATE_INVALID_BRANDING', 422, 'The branding cannot be used.', details),
  renderFailed: (details: ErrorDetail[]) =>
    new AppError('TEMPLATE_RENDER_FAILED', 422, 'The message could not be rendered from its variables.', details),
};
