import { AppError } from '../../common/errors/app-error';
import type { Verdict } from '../country-rules/evaluate/verdict';

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
  /** The country rules forbid the parcel (e.g. an e-cigarette to Australia): nothing is booked. */
  complianceBlocked: (verdict: Verdict) =>
    new AppError(
      'COMPLIANCE_BLOCKED',
      422,
      `This shipment cannot be sent to ${verdict.destination}: ${verdict.issues
        .filter((i) => i.severity === 'blocked')
        .map((i) => i.message)
        .join(' ')}`,
      verdict.issues
        .filter((i) => i.severity === 'blocked')
        .map((i) => ({ field: i.field ?? 'items', issue: `${i.code}: ${i.message} (${i.ruleSet} v${i.version} ${i.rule})` })),
    ),
  consigneeClosed: (status: string) =>
    new AppError('SHIPMENT_CLOSED', 409, `The consignee can no longer be changed: the shipment is ${status}.`),
  destinationChange: () =>
    new AppError('DESTINATION_CHANGE_NOT_ALLOWED', 422, 'The destination country cannot be changed; book a new shipment instead.', [
      { field: 'address.country', issue: 'must stay the country the shipment was booked to' },
    ]),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned' }]),
};
