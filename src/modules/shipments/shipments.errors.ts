import { AppError } from '../../common/errors/app-error';

export const ShipmentErrors = {
  notFound: () => new AppError('SHIPMENT_NOT_FOUND', 404, 'Shipment not found.'),
  referenceTaken: (reference: string) =>
    new AppError('SHIPMENT_REFERENCE_EXISTS', 409, `A shipment with reference "${reference}" already exists.`, [
      { field: 'reference', issue: 'is already used by another of your shipments' },
    ]),
  notCancellable: (status: string) =>
    new AppError('SHIPMENT_NOT_CANCELLABLE', 409, `A shipment can be cancelled only before collection; it is ${status}.`),
  notDelivered: (status: string) =>
    new AppError('RETURN_NOT_ALLOWED', 409, `A return can be opened only once the shipment is delivered; it is ${status}.`),
  returnAlreadyOpen: () => new AppError('RETURN_ALREADY_OPEN', 409, 'A return is already open for this shipment.'),
  returnWindowClosed: (days: number) =>
    new AppError('RETURN_WINDOW_CLOSED', 409, `The return window of ${days} days after delivery has closed.`),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned' }]),
};
