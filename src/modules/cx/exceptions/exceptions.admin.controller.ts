import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../../auth/principal';
import { ExceptionDeskService } from './exception-desk.service';
import {
  AddNoteDto,
  AssignExceptionDto,
  ExceptionDetailDto,
  ExceptionListQueryDto,
  ExceptionPageDto,
  ReopenExceptionDto,
  ResolveExceptionDto,
} from './exceptions.dto';

@ApiTags('admin: exceptions')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles(...ANY_ADMIN_ROLE)
@Controller('v1/admin/exceptions')
export class ExceptionsAdminController {
  constructor(private readonly desk: ExceptionDeskService) {}

  @Get()
  @ApiOperation({
    summary: 'The CX desk’s queue: exceptions filtered by type, status, country, retailer, assignee, age, SLA and incident',
    description: 'Unresolved ones by default, oldest first. Sort by `opened_at` or `sla_due_at`, ascending or descending; page with `nextCursor`.',
  })
  @ApiOkResponse({ type: ExceptionPageDto })
  @ApiErrors(400, 401, 403)
  list(@Query() q: ExceptionListQueryDto): Promise<ExceptionPageDto> {
    return this.desk.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One exception with its log (opening, assignments, notes, status changes, resolution, reopenings)' })
  @ApiOkResponse({ type: ExceptionDetailDto })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', UuidParamPipe) id: string): Promise<ExceptionDetailDto> {
    return this.desk.get(id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign an exception to an admin user (null unassigns); an open one moves to in_progress',
    description: '400 `ASSIGNEE_NOT_FOUND` for an unknown or disabled user; 409 `EXCEPTION_RESOLVED`. Audited; routing, so not a touch (first-contact resolution and response time count notes, resolutions and reopenings).',
  })
  @ApiOkResponse({ type: ExceptionDetailDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  assign(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: AssignExceptionDto): Promise<ExceptionDetailDto> {
    return this.desk.assign(auditActor(p), id, dto);
  }

  @Post(':id/notes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add a note, optionally moving the exception to in_progress or waiting_customer',
    description: '409 `EXCEPTION_RESOLVED` when a status is given for a resolved exception. Audited (without the note’s text); counts as a touch.',
  })
  @ApiOkResponse({ type: ExceptionDetailDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  addNote(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: AddNoteDto): Promise<ExceptionDetailDto> {
    return this.desk.addNote(auditActor(p), id, dto);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve an exception with a resolution code and a note',
    description:
      'With `notifyConsignee`, a `shipment.exception_resolved` journey event is recorded (timeline; webhooks subscribed to it or to `*`), ' +
      'and the planner tells the consignee that the issue is resolved (`issue_resolved`, in their language, by email and SMS), ' +
      'subject to consent, quiet hours and the SMS cap. One message per resolution: resolving again after a reopen notifies again. ' +
      'The resolution code and note stay internal. 409 `EXCEPTION_RESOLVED`. Audited; counts as a touch.',
  })
  @ApiOkResponse({ type: ExceptionDetailDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  resolve(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: ResolveExceptionDto): Promise<ExceptionDetailDto> {
    return this.desk.resolve(auditActor(p), id, dto);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reopen a resolved exception',
    description: '409 `EXCEPTION_NOT_RESOLVED`, or `EXCEPTION_ALREADY_OPEN` when another of its type is open on the shipment. Audited; counts as a touch.',
  })
  @ApiOkResponse({ type: ExceptionDetailDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  reopen(@CurrentPrincipal() p: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: ReopenExceptionDto): Promise<ExceptionDetailDto> {
    return this.desk.reopen(auditActor(p), id, dto);
  }
}
