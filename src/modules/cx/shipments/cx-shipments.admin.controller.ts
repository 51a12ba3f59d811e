import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles, SUPERVISOR_ROLES } from '../../auth/principal';
import { OverrideStatusDto, OverrideStatusResponseDto, ResendMessageDto, ResendMessageResponseDto, TimelineDto } from './cx-shipments.dto';
import { MessageResendService } from './message-resend.service';
import { ShipmentOverrideService } from './shipment-override.service';
import { TimelineService } from './timeline.service';

@ApiTags('admin: shipments (CX)')
@ApiBearerAuth('admin')
@Auth('admin')
@Controller('v1/admin/shipments')
export class CxShipmentsAdminController {
  constructor(
    private readonly overrides: ShipmentOverrideService,
    private readonly resends: MessageResendService,
    private readonly timelines: TimelineService,
  ) {}

  @Post(':id/status')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({
    summary: 'Override a shipment’s status (supervisor), with a required reason',
    description:
      'Written like a transition (status history with cause `override`, and the journey event, so messages and exceptions follow) ' +
      'and shown in the timeline as an override. 409 `STATUS_UNCHANGED`. Audited with the reason.',
  })
  @ApiOkResponse({ type: OverrideStatusResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  override(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: OverrideStatusDto): Promise<OverrideStatusResponseDto> {
    return this.overrides.override(auditActor(p), id, dto.status, dto.reason);
  }

  @Post(':id/messages/resend')
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({
    summary: 'Queue a copy of a message of this shipment that was sent, delivered, undelivered, failed or dead',
    description: '409 `MESSAGE_NOT_RESENDABLE` while it is pending or when it was skipped; 409 `CONSIGNEE_OPTED_OUT`. Audited.',
  })
  @ApiCreatedResponse({ type: ResendMessageResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  resend(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: ResendMessageDto): Promise<ResendMessageResponseDto> {
    return this.resends.resend(auditActor(p), id, dto.messageId);
  }

  @Get(':id/timeline')
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({
    summary: 'The 360 view of a shipment: one stream of scans, status changes (overrides marked), verdicts, messages, exceptions, replies and audit entries',
  })
  @ApiOkResponse({ type: TimelineDto })
  @ApiErrors(400, 401, 403, 404)
  timeline(@Param('id', UuidParamPipe) id: string): Promise<TimelineDto> {
    return this.timelines.timeline(id);
  }
}
