import { Module } from '@nestjs/common';
import { CxCoreModule } from './cx-core.module';
import { ExceptionDeskService } from './exceptions/exception-desk.service';
import { ExceptionsAdminController } from './exceptions/exceptions.admin.controller';
import { ExceptionsRepository } from './exceptions/exceptions.repository';
import { SearchAdminController } from './search/search.admin.controller';
import { SearchService } from './search/search.service';
import { CxShipmentsAdminController } from './shipments/cx-shipments.admin.controller';
import { MessageResendService } from './shipments/message-resend.service';
import { ShipmentOverrideService } from './shipments/shipment-override.service';
import { TimelineService } from './shipments/timeline.service';
import { AdminUsersAdminController } from './users/admin-users.admin.controller';
import { AdminUsersRepository } from './users/admin-users.repository';
import { AdminUsersService } from './users/admin-users.service';

/** The CX desk's admin API (api role): admin users, the exception queue, the 360 view, overrides, resends, search. */
@Module({
  imports: [CxCoreModule],
  controllers: [AdminUsersAdminController, ExceptionsAdminController, CxShipmentsAdminController, SearchAdminController],
  providers: [
    AdminUsersRepository,
    AdminUsersService,
    ExceptionsRepository,
    ExceptionDeskService,
    ShipmentOverrideService,
    MessageResendService,
    TimelineService,
    SearchService,
  ],
})
export class CxModule {}
