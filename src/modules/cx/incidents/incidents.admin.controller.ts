import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles, SUPERVISOR_ROLES } from '../../auth/principal';
import { CloseIncidentDto, DeclareIncidentDto, IncidentDto, IncidentListQueryDto, IncidentPageDto, IncidentPreviewDto } from './incidents.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('admin: incidents')
@ApiBearerAuth('admin')
@Auth('admin')
@Controller('v1/admin/incidents')
export class IncidentsAdminController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post('preview')
  @HttpCode(200)
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({
    summary: 'How many shipments and consignees an incident would reach, before declaring it (writes nothing)',
    description: 'Takes the same body as POST /v1/admin/incidents.',
  })
  @ApiOkResponse({ type: IncidentPreviewDto })
  @ApiErrors(400, 401, 403)
  preview(@Body() dto: DeclareIncidentDto): Promise<IncidentPreviewDto> {
    return this.incidents.preview(dto);
  }

  @Post()
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({
    summary: 'Declare an incident: a delay exception on each shipment in scope, one notice per consignee and per retailer',
    description:
      'Scope: exactly one of a facility (where the latest scan was), a destination country, a lane, a manifest or flight ' +
      "reference (a scan's `raw.manifest`), or a list of shipment ids; only parcels still on their way count. Each consignee " +
      'is told once through the planner (consent, quiet hours and dedupe apply), in their language: the given message per ' +
      'locale, or the standard delay message with the estimate moved by the expected delay. Parcels scanned into the scope ' +
      'while the incident is open are taken in by the worker every minute. Any role may declare (the agent who spots ' +
      'the grounded flight); closing takes a supervisor. Audited.',
  })
  @ApiCreatedResponse({ type: IncidentDto })
  @ApiErrors(400, 401, 403)
  declare(@CurrentPrincipal() principal: Principal, @Body() dto: DeclareIncidentDto): Promise<IncidentDto> {
    return this.incidents.declare(auditActor(principal), dto);
  }

  @Get()
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({ summary: 'Incidents, newest first, with their progress' })
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiErrors(400, 401, 403)
  list(@Query() q: IncidentListQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list(q);
  }

  @Get(':id')
  @Roles(...ANY_ADMIN_ROLE)
  @ApiOperation({ summary: "An incident and its progress: shipments taken in, exceptions opened, consignees told, the messages' statuses" })
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', UuidParamPipe) id: string): Promise<IncidentDto> {
    return this.incidents.get(id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({
    summary: "Close an incident: resolves its exceptions and tells the consignees who were told (if their parcel is still on its way)",
    description:
      'Supervisor or admin only: closing tells every consignee the incident is over, so it takes a second pair of eyes ' +
      'beyond the agent who declared it. Audited. A closed incident takes in no more shipments.',
  })
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrors(400, 401, 403, 404, 409)
  close(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: CloseIncidentDto): Promise<IncidentDto> {
    return this.incidents.close(auditActor(principal), id, dto);
  }
}
