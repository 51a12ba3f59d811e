import { AppError } from '../../../common/errors/app-error';

export const IncidentErrors = {
  notFound: () => new AppError('INCIDENT_NOT_FOUND', 404, 'Incident not found.'),
  closed: () => new AppError('INCIDENT_CLOSED', 409, 'The incident is already closed.'),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned' }]),
};
