import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppError } from '../../common/errors/app-error';
import { Clock } from '../../common/clock/clock';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { ANY_ADMIN_ROLE, Auth, Roles } from '../auth/principal';
import { MessageRepository } from './dispatch/message.repository';

class RedriveResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
}

@ApiTags('admin: messages')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/messages')
export class NotificationsAdminController {
  constructor(
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  @Roles(...ANY_ADMIN_ROLE)
  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a dead-lettered message back in the queue with a fresh budget of attempts', description: '409 `MESSAGE_NOT_DEAD` when it is not dead-lettered.' })
  @ApiOkResponse({ type: RedriveResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async redrive(@Param('id', UuidParamPipe) id: string): Promise<RedriveResponseDto> {
    if (!(await this.messages.redrive(id, this.clock.now()))) {
      const status = await this.messages.statusOf(id);
      if (!status) throw new AppError('MESSAGE_NOT_FOUND', 404, 'Message not found.');
      throw new AppError('MESSAGE_NOT_DEAD', 409, `Only a dead-lettered message can be redriven; this one is ${status}.`);
    }
    return { id, status: 'pending' };
  }
}
