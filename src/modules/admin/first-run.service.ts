import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DATABASE_TARGET, DatabaseTarget } from '../../database/database.module';
import { ApiKeyService } from '../auth/api-key.service';
import { RetailersService } from '../retailers/retailers.service';

export interface FirstRunCredentials {
  adminToken?: string;
  demoRetailer?: { id: string; name: string; apiKey: string };
  notes: string[];
}

/**
 * On the embedded default, a first start needs no setup: it mints an admin token (unless ADMIN_TOKEN is
 * set) and a demo retailer with an API key. Both are shown once; only their hashes are stored.
 */
@Injectable()
export class FirstRunService {
  private readonly logger = new Logger(FirstRunService.name);

  constructor(
    private readonly keys: ApiKeyService,
    private readonly retailers: RetailersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_TARGET) private readonly target: DatabaseTarget,
  ) {}

  async prepare(): Promise<FirstRunCredentials> {
    const result: FirstRunCredentials = { notes: [] };
    if (!this.target.embedded) return result;
    if (this.config.auth.adminToken) {
      result.notes.push('Admin token: the ADMIN_TOKEN you set.');
    } else if (await this.keys.hasAdminKeys()) {
      result.notes.push(`Admin token: printed at first start. To start afresh, stop Passage and delete ${this.config.database.dataDir}/.`);
    } else {
      const { secret } = await this.keys.issueAdminKey('admin', 'first-run');
      result.adminToken = secret;
    }
    if (!this.config.seedDemo) return result;
    const demo = await this.retailers.findDemo();
    if (demo) {
      result.notes.push(`Demo retailer "${demo.name}" (${demo.id}): its key was printed at first start.`);
    } else {
      const retailer = await this.retailers.create('seed', { name: 'Demo Retailer', isDemo: true });
      const { secret } = await this.keys.issueRetailerKey(retailer.id, 'demo');
      result.demoRetailer = { id: retailer.id, name: retailer.name, apiKey: secret };
      this.logger.log({ retailerId: retailer.id }, 'demo retailer created');
    }
    return result;
  }
}
