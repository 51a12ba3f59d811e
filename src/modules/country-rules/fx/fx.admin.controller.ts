import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommonErrors } from '../../../common/errors/app-error';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { isIsoCurrency } from '../../../common/http/validators';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../../auth/principal';
import { CreateFxRateDto, FxRateResponseDto, toFxRateResponse } from './fx.dto';
import { FxService } from './fx.service';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

@ApiTags('admin: country rules')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/fx-rates')
export class FxAdminController {
  constructor(private readonly fx: FxService) {}

  @Roles(...ANY_ADMIN_ROLE)
  @Get()
  @ApiOperation({ summary: 'The exchange rates in force on a date (today by default), one per currency' })
  @ApiQuery({ name: 'on', required: false, example: '2026-07-01' })
  @ApiOkResponse({ type: [FxRateResponseDto] })
  @ApiErrors(400, 401, 403)
  async list(@Query('on') on?: string): Promise<FxRateResponseDto[]> {
    if (on !== undefined && !DATE.test(on)) throw CommonErrors.validation([{ field: 'on', issue: 'must be a date (YYYY-MM-DD)' }]);
    return (await this.fx.ratesOn(on)).map(toFxRateResponse);
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':currency')
  @ApiOperation({ summary: "A currency's rate history, newest first" })
  @ApiOkResponse({ type: [FxRateResponseDto] })
  @ApiErrors(400, 401, 403)
  async history(@Param('currency') currency: string): Promise<FxRateResponseDto[]> {
    const code = currency.toUpperCase();
    if (!isIsoCurrency(code)) throw CommonErrors.validation([{ field: 'currency', issue: 'must be an ISO 4217 currency code' }]);
    return (await this.fx.history(code)).map(toFxRateResponse);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a dated exchange rate',
    description: 'Rates are immutable: a correction is a new row with its own date. The writer is recorded. 409 `FX_RATE_EXISTS` for a date already set.',
  })
  @ApiCreatedResponse({ type: FxRateResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async add(@CurrentPrincipal() principal: Principal, @Body() dto: CreateFxRateDto): Promise<FxRateResponseDto> {
    return toFxRateResponse(await this.fx.add(dto, auditActor(principal)));
  }
}
