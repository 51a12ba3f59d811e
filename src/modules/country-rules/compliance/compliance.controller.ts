import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '../../../common/clock/clock';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { Auth, RetailerId } from '../../auth/principal';
import { Verdict } from '../evaluate/verdict';
import { ComplianceCheckDto } from './compliance.dto';
import { ComplianceService, parseEvaluationInstant } from './compliance.service';
import { VerdictDto } from './verdict.dto';

@ApiTags('compliance')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/compliance')
export class ComplianceController {
  constructor(
    private readonly compliance: ComplianceService,
    private readonly clock: Clock,
  ) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What a parcel will need and cost, without booking it (a landed-cost quote for checkout)',
    description:
      'Runs the same evaluation as booking: documents, low-value scheme, duties, taxes and fees with who pays, the ' +
      'landed cost, missing consignee information and prohibited items, each step naming its rule and version. ' +
      'Pass `at` to see the rules in force on another day (e.g. the day a change takes effect).',
  })
  @ApiOkResponse({ type: VerdictDto })
  @ApiErrors(400, 401, 403, 422)
  check(@RetailerId() retailerId: string, @Body() dto: ComplianceCheckDto): Promise<Verdict> {
    const { at, ...shipment } = dto;
    return this.compliance.checkForRetailer(retailerId, shipment, parseEvaluationInstant(at, this.clock.now()));
  }
}
