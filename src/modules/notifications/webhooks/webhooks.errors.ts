import { AppError, CommonErrors } from '../../../common/errors/app-error';

export const WebhookErrors = {
  /** Also for another retailer's endpoint: nothing tells the two apart. */
  endpointNotFound: () => new AppError('WEBHOOK_ENDPOINT_NOT_FOUND', 404, 'Webhook endpoint not found.'),
  deliveryNotFound: () => new AppError('WEBHOOK_DELIVERY_NOT_FOUND', 404, 'Webhook delivery not found.'),
  endpointDisabled: () =>
    new AppError('WEBHOOK_ENDPOINT_DISABLED', 409, 'The endpoint is disabled: re-enable it (PATCH with "enabled": true) before replaying deliveries.'),
  invalidUrl: (issue: string) => CommonErrors.validation([{ field: 'url', issue }]),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned' }]),
};
