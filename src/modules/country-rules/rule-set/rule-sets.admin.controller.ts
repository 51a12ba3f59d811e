import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../../auth/principal';
import {
  AffectedQueryDto,
  AffectedShipmentsPageDto,
  CreatedRuleSetVersionDto,
  CreateRuleSetVersionDto,
  PreviewRuleSetDto,
  RuleSetDetailDto,
  RuleSetPreviewDto,
  RuleSetQueryDto,
  RuleSetSummaryDto,
  toRuleSetVersionDto,
} from './rule-sets.dto';
import { RuleSetsService } from './rule-sets.service';

@ApiTags('admin: country rules')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/rule-sets')
export class RuleSetsAdminController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Roles(...ANY_ADMIN_ROLE)
  @Get()
  @ApiOperation({ summary: 'Every country and group with the version in force, the next scheduled one, and how many rules are unverified' })
  @ApiOkResponse({ type: [RuleSetSummaryDto] })
  @ApiErrors(400, 401, 403)
  list(@Query() q: RuleSetQueryDto): Promise<RuleSetSummaryDto[]> {
    return this.ruleSets.list(q.on);
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':country')
  @ApiOperation({
    summary: "A country's rule set: the version in force, its history, and the inheritance resolved",
    description: 'Each resolved field names the rule set and version it comes from (e.g. DE inheriting customs.dutyDeMinimis from EU v2).',
  })
  @ApiOkResponse({ type: RuleSetDetailDto })
  @ApiErrors(400, 401, 403, 404)
  async describe(@Param('country') country: string, @Query() q: RuleSetQueryDto): Promise<RuleSetDetailDto> {
    const detail = await this.ruleSets.describe(country, q.on);
    return {
      ...detail,
      current: detail.current ? toRuleSetVersionDto(detail.current) : null,
      history: detail.history.map(toRuleSetVersionDto),
    };
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':country/affected-shipments')
  @ApiOperation({
    summary: 'The shipments a rule change applies to from a date: booked to that destination (or the group’s members) since then',
    description: 'Newest first, cursor-paginated; each with its status and booking verdict, so CX sees exactly which parcels a correction touches.',
  })
  @ApiOkResponse({ type: AffectedShipmentsPageDto })
  @ApiErrors(400, 401, 403)
  affected(@Param('country') country: string, @Query() q: AffectedQueryDto): Promise<AffectedShipmentsPageDto> {
    return this.ruleSets.affectedShipments(country, q.from, q.cursor, q.limit ?? 50);
  }

  @Post(':country/versions')
  @ApiOperation({
    summary: 'Write a new version, effective from a date',
    description:
      'Versions are immutable: a correction is a new version. The content is validated (unknown fields and wrong types ' +
      'are field errors). The response shows the diff against the previous version and which shipments it may affect. ' +
      'The write is audited.',
  })
  @ApiCreatedResponse({ type: CreatedRuleSetVersionDto })
  @ApiErrors(400, 401, 403, 422)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('country') country: string,
    @Body() dto: CreateRuleSetVersionDto,
  ): Promise<CreatedRuleSetVersionDto> {
    const created = await this.ruleSets.createVersion(auditActor(principal), country, dto);
    return { ...toRuleSetVersionDto(created), diff: created.diff, affected: created.affected };
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Post(':country/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Evaluate a sample shipment under a draft before saving it',
    description: 'Returns the verdict under the draft beside the verdict under the rules in force. Nothing is written.',
  })
  @ApiOkResponse({ type: RuleSetPreviewDto })
  @ApiErrors(400, 401, 403, 422)
  preview(@Param('country') country: string, @Body() dto: PreviewRuleSetDto): Promise<RuleSetPreviewDto> {
    return this.ruleSets.preview(country, dto) as Promise<RuleSetPreviewDto>;
  }
}
