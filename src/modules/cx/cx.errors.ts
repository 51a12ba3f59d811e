import { AppError } from '../../common/errors/app-error';

/** The CX desk's error codes. */
export const CxErrors = {
  exceptionNotFound: () => new AppError('EXCEPTION_NOT_FOUND', 404, 'Exception not found.'),
  exceptionResolved: () => new AppError('EXCEPTION_RESOLVED', 409, 'The exception is resolved; reopen it first.'),
  exceptionNotResolved: () => new AppError('EXCEPTION_NOT_RESOLVED', 409, 'Only a resolved exception can be reopened.'),
  exceptionAlreadyOpen: () =>
    new AppError('EXCEPTION_ALREADY_OPEN', 409, 'Another exception of this type is already open on the shipment; work that one instead.'),
  assigneeNotFound: () =>
    new AppError('ASSIGNEE_NOT_FOUND', 400, 'No active admin user has that id.', [{ field: 'assigneeId', issue: 'is not an active admin user' }]),
  shipmentNotFound: () => new AppError('SHIPMENT_NOT_FOUND', 404, 'Shipment not found.'),
  statusUnchanged: (status: string) => new AppError('STATUS_UNCHANGED', 409, `The shipment is already ${status}.`),
  statusConflict: () => new AppError('STATUS_CONFLICT', 409, 'The shipment changed while the override was being written; read it again and retry.'),
  messageNotFound: () => new AppError('MESSAGE_NOT_FOUND', 404, 'No message with that id on this shipment.'),
  messageNotFinished: (status: string) =>
    new AppError('MESSAGE_NOT_RESENDABLE', 409, `Only a message that was sent, delivered, undelivered, failed or dead can be resent; this one is ${status}.`),
  consigneeOptedOut: () => new AppError('CONSIGNEE_OPTED_OUT', 409, 'The consignee has opted out of this channel; the message cannot be resent.'),
  adminUserExists: () =>
    new AppError('ADMIN_USER_EXISTS', 409, 'An admin user with this email already exists.', [{ field: 'email', issue: 'is already taken' }]),
  adminUserNotFound: () => new AppError('ADMIN_USER_NOT_FOUND', 404, 'Admin user not found.'),
  tokenNotFound: () => new AppError('TOKEN_NOT_FOUND', 404, 'No active token with that id for this user.'),
  lastAdmin: (field: 'role' | 'disabled') =>
    new AppError('LAST_ADMIN', 409, 'This change would leave no enabled admin user; make another user an admin first.', [
      { field, issue: 'would leave no enabled admin user' },
    ]),
  emptyUserUpdate: () =>
    new AppError('VALIDATION_FAILED', 400, 'The request is invalid.', [{ field: 'body', issue: 'must set at least one of role, name, disabled' }]),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned for this sort' }]),
};
