import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { linkSigningKey } from '../../notifications/planner/link-signing-key';
import { surveyTokenHash, verifySurveyToken } from './survey-links';
import { AnswerSurveyDto, SurveyDto } from './surveys.dto';
import { SurveyErrors } from './surveys.errors';

interface SurveyRow {
  id: string;
  expires_at: Date;
  used_at: Date | null;
  retailer_name: string;
}

const SCALES = { csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } };

/**
 * The delivery survey behind the link in the delivered message: public, answered once, until it expires.
 * The token is checked (signature) before the database is asked, and looked up by its hash.
 */
@Injectable()
export class SurveysService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async describe(token: string): Promise<SurveyDto> {
    const row = await this.find(token);
    if (!row.used_at && new Date(row.expires_at).getTime() <= this.clock.now().getTime()) throw SurveyErrors.expired();
    return this.toDto(row);
  }

  /** Records the answer; a second answer is 409, an expired link 410, an unknown one 404. */
  async answer(token: string, dto: AnswerSurveyDto): Promise<SurveyDto> {
    const hash = this.hashOf(token);
    const now = this.clock.now();
    const updated: Array<{ id: string }> = await this.db.query(
      `WITH answered AS (
         UPDATE surveys SET used_at = $2, csat = $3, ces = $4, comment = $5
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
          RETURNING id)
       SELECT id FROM answered`,
      [hash, now, dto.csat, dto.ces, dto.comment?.trim() || null],
    );
    const row = await this.find(token);
    if (updated.length === 0) throw row.used_at ? SurveyErrors.answered() : SurveyErrors.expired();
    return this.toDto(row);
  }

  private hashOf(token: string): string {
    if (!verifySurveyToken(linkSigningKey(this.config), token)) throw SurveyErrors.notFound();
    return surveyTokenHash(token);
  }

  private async find(token: string): Promise<SurveyRow> {
    const rows: SurveyRow[] = await this.db.query(
      `SELECT sv.id, sv.expires_at, sv.used_at, coalesce(ns.branding->>'name', r.name) AS retailer_name
         FROM surveys sv
         JOIN retailers r ON r.id = sv.retailer_id
         LEFT JOIN retailer_notification_settings ns ON ns.retailer_id = sv.retailer_id
        WHERE sv.token_hash = $1`,
      [this.hashOf(token)],
    );
    if (rows.length === 0) throw SurveyErrors.notFound();
    return rows[0];
  }

  private toDto(row: SurveyRow): SurveyDto {
    return {
      status: row.used_at ? 'answered' : 'open',
      retailerName: row.retailer_name,
      expiresAt: new Date(row.expires_at).toISOString(),
      answeredAt: row.used_at ? new Date(row.used_at).toISOString() : null,
      scales: SCALES,
    };
  }
}
