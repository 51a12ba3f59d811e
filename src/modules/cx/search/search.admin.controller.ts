import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { ANY_ADMIN_ROLE, Auth, Roles } from '../../auth/principal';
import { SearchQueryDto, SearchResultDto } from './search.dto';
import { SearchService } from './search.service';

@ApiTags('admin: search')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles(...ANY_ADMIN_ROLE)
@Controller('v1/admin/search')
export class SearchAdminController {
  constructor(private readonly searches: SearchService) {}

  @Get()
  @ApiOperation({
    summary: 'Find shipments by tracking number, return or order reference, consignee email or phone (exact match)',
    description: 'Across retailers. The query is never logged.',
  })
  @ApiOkResponse({ type: SearchResultDto })
  @ApiErrors(400, 401, 403)
  async search(@Query() dto: SearchQueryDto): Promise<SearchResultDto> {
    return { data: await this.searches.search(dto.q) };
  }
}
