import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AppConfig } from '../../../config/app-config';
import { linkSigningKey } from '../../notifications/planner/link-signing-key';

/** How long a survey link answers after the delivered message that carries it was planned. */
export const SURVEY_TTL_DAYS = 30;

const UUID_HEX = /^[0-9a-f]{32}$/;
const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(`survey.${body}`).digest('base64url');

/**
 * `<shipment id, base64url>.<signature>`: deterministic per shipment, so a replayed delivered event plans the
 * same link, and the token names nothing personal. Only its hash is stored.
 */
export function surveyToken(key: Buffer, shipmentId: string): string {
  const body = Buffer.from(shipmentId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/** The shipment id a genuine token names; undefined for anything else. */
export function verifySurveyToken(key: Buffer, token: string): string | undefined {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || body.length !== 22) return undefined;
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const hex = Buffer.from(body, 'base64url').toString('hex');
  if (!UUID_HEX.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function surveyTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The public link in a delivered message. */
export function surveyUrl(config: AppConfig, shipmentId: string): string {
  return `${config.http.publicBaseUrl}/v1/surveys/${surveyToken(linkSigningKey(config), shipmentId)}`;
}

/**
 * Records the survey a delivered message offers, in the planner's transaction; a replay changes nothing.
 * Only messages that will go out count (the response rate's denominator).
 */
export async function recordIssuedSurvey(tx: EntityManager, config: AppConfig, s: { shipmentId: string; retailerId: string; at: Date }): Promise<void> {
  const token = surveyToken(linkSigningKey(config), s.shipmentId);
  await tx.query(
    `INSERT INTO surveys (retailer_id, shipment_id, destination_country, origin_country, token_hash, created_at, expires_at)
     SELECT retailer_id, id, destination_country, origin->>'country', $3, $4, $5 FROM shipments WHERE id = $2 AND retailer_id = $1
     ON CONFLICT (shipment_id) DO NOTHING`,
    [s.retailerId, s.shipmentId, surveyTokenHash(token), s.at, new Date(s.at.getTime() + SURVEY_TTL_DAYS * 86_400_000)],
  );
}
