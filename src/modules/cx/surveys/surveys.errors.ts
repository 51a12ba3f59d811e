import { AppError } from '../../../common/errors/app-error';

export const SurveyErrors = {
  notFound: () => new AppError('SURVEY_NOT_FOUND', 404, 'This survey link is not valid.'),
  answered: () => new AppError('SURVEY_ALREADY_ANSWERED', 409, 'This survey has already been answered. Thank you!'),
  expired: () => new AppError('SURVEY_EXPIRED', 410, 'This survey link has expired.'),
};
