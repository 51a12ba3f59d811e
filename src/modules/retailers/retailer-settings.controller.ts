import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { Auth, RetailerId } from '../auth/principal';
import { RetailerSettingsDto, toRetailerSettings, UpdateRetailerSettingsDto } from './retailer-settings.dto';
import { RetailersService } from './retailers.service';

@ApiTags('retailer settings')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/retailer/settings')
export class RetailerSettingsController {
  constructor(private readonly retailers: RetailersService) {}

  @Get()
  @ApiOperation({ summary: 'Your settings: tax registrations for low-value schemes, return window' })
  @ApiOkResponse({ type: RetailerSettingsDto })
  @ApiErrors(401, 403)
  async get(@RetailerId() retailerId: string): Promise<RetailerSettingsDto> {
    return toRetailerSettings(await this.retailers.get(retailerId));
  }

  @Patch()
  @ApiOperation({
    summary: 'Change your settings',
    description:
      'A low-value scheme (IOSS, UK point-of-sale VAT, VOEC, AU/NZ/SG GST) applies to a verdict only while you hold its ' +
      'registration here; otherwise the verdict says what the border collects instead. `null` removes a registration. Audited.',
  })
  @ApiOkResponse({ type: RetailerSettingsDto })
  @ApiErrors(400, 401, 403)
  async update(@RetailerId() retailerId: string, @Body() dto: UpdateRetailerSettingsDto): Promise<RetailerSettingsDto> {
    return toRetailerSettings(await this.retailers.updateSettings(retailerId, dto));
  }
}
