import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { Auth, auditActor, CurrentPrincipal, Principal, Roles, SUPERVISOR_ROLES } from '../../auth/principal';
import { EraseConsigneeDto, ErasureDto, RetailerRetentionDto, RetentionDto } from './privacy.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('admin: privacy')
@ApiBearerAuth('admin')
@Auth('admin')
@Controller('v1/admin')
export class PrivacyAdminController {
  constructor(private readonly privacy: PrivacyService) {}

  @Post('consignees/erase')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({
    summary: "Erase a consignee: pseudonymise their data across shipments, messages, replies and surveys, keeping the aggregates",
    description:
      'Give exactly one of email (any case) or phone (E.164). Statuses, dates, countries, scores and counts stay; names, ' +
      'addresses, contacts, message texts, reply words and survey comments go; messages still waiting are not sent. ' +
      'Audited under the hash of the contact, never the contact.',
  })
  @ApiOkResponse({ type: ErasureDto })
  @ApiErrors(400, 401, 403)
  erase(@CurrentPrincipal() principal: Principal, @Body() dto: EraseConsigneeDto): Promise<ErasureDto> {
    return this.privacy.erase(auditActor(principal), dto);
  }

  @Patch('retailers/:id/privacy')
  @ApiOperation({
    summary: "Set how many days after a shipment's final status its consignee's data is kept (default 180)",
    description: 'The worker strips what is older every hour. Audited.',
  })
  @ApiOkResponse({ type: RetailerRetentionDto })
  @ApiErrors(400, 401, 403, 404)
  setRetention(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: RetentionDto): Promise<RetailerRetentionDto> {
    return this.privacy.setRetention(auditActor(principal), id, dto.piiRetentionDays);
  }
}
