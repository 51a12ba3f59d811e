import { AppError, CommonErrors, ErrorDetail } from '../../common/errors/app-error';

export const CountryRulesErrors = {
  ruleSetNotFound: (country: string) =>
    new AppError('RULE_SET_NOT_FOUND', 404, `There is no rule set for ${country}.`, [{ field: 'country', issue: 'has no rule set' }]),
  invalidCountry: () =>
    CommonErrors.validation([{ field: 'country', issue: 'must be an ISO 3166-1 alpha-2 country code or a group (EU)' }]),
  invalidContent: (details: ErrorDetail[]) => CommonErrors.validation(details, 'The rule-set content is invalid.'),
  unknownGroup: (group: string) =>
    new AppError('RULE_SET_GROUP_UNKNOWN', 422, `The group ${group} has no rule set to inherit from.`, [
      { field: 'content.inherits', issue: 'names a group without a rule set' },
    ]),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 400, 'The cursor is not valid.', [{ field: 'cursor', issue: 'is not a cursor this API returned' }]),
  effectiveRange: () =>
    CommonErrors.validation([{ field: 'effectiveTo', issue: 'must be after effectiveFrom' }]),
};
