import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { Auth, RetailerId } from '../auth/principal';
import { ShipmentRepository } from '../shipments/shipment.repository';
import { ShipmentErrors } from '../shipments/shipments.errors';
import { MessageRepository } from './dispatch/message.repository';
import { MessageResponseDto, toMessageResponse } from './notifications.dto';

@ApiTags('shipments')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/shipments')
export class NotificationsController {
  constructor(
    private readonly shipments: ShipmentRepository,
    private readonly messages: MessageRepository,
  ) {}

  @Get(':id/messages')
  @ApiOperation({ summary: "Every message owed on a shipment: its channel, status, attempts and, when skipped, why" })
  @ApiOkResponse({ type: [MessageResponseDto] })
  @ApiErrors(400, 401, 403, 404)
  async list(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<MessageResponseDto[]> {
    if (!(await this.shipments.findForRetailer(retailerId, id))) throw ShipmentErrors.notFound();
    return (await this.messages.listForShipment(retailerId, id)).map(toMessageResponse);
  }
}
