import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../auth/principal';
import { MessageRedriveService } from './dispatch/message-redrive.service';

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
  constructor(private readonly redriver: MessageRedriveService) {}

  @Roles(...ANY_ADMIN_ROLE)
  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a dead-lettered message back in the queue with a fresh budget of attempts', description: '409 `MESSAGE_NOT_DEAD` when it is not dead-lettered. Audited.' })
  @ApiOkResponse({ type: RedriveResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async redrive(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<RedriveResponseDto> {
    await this.redriver.redrive(auditActor(principal), id);
    return { id, status: 'pending' };
  }
}
