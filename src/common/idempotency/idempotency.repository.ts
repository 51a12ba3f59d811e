import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SEALED_VERSION, SecretBox } from '../secrets/secret-box';

export interface StoredIdempotencyKey {
  request_hash: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_body: unknown;
  locked_until: Date;
}

/**
 * Idempotency keys live in PostgreSQL so that every instance, and a restart, sees them. The stored response
 * is sealed (SecretBox, bound to its principal and key): it may hold what is shown only once (an API key, a
 * webhook secret, a user's token) and consignee personal data, none of which may sit in the table in clear.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  /**
   * Claims the key for this request. Returns `undefined` when claimed, or the stored row when another
   * request holds or completed it. An expired row, or an in-flight claim whose lock lapsed, is taken over.
   */
  async claim(input: {
    principal: string;
    key: string;
    requestHash: string;
    now: Date;
    lockMs: number;
    ttlMs: number;
  }): Promise<StoredIdempotencyKey | undefined> {
    const lockedUntil = new Date(input.now.getTime() + input.lockMs);
    const expiresAt = new Date(input.now.getTime() + input.ttlMs);
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, state, locked_until, expires_at, created_at)
       VALUES ($1, $2, $3, 'in_flight', $4, $5, $6)
       ON CONFLICT (principal, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', response_status = NULL, response_body = NULL,
             locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at
         WHERE idempotency_keys.expires_at <= $6
            OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until <= $6
                AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING 1`,
      [input.principal, input.key, input.requestHash, lockedUntil, expiresAt, input.now],
    );
    if (claimed.length > 0) return undefined;
    const rows: StoredIdempotencyKey[] = await this.db.query(
      `SELECT request_hash, state, response_status, response_body, locked_until
         FROM idempotency_keys WHERE principal = $1 AND key = $2`,
      [input.principal, input.key],
    );
    const row = rows[0];
    if (row && typeof row.response_body === 'string' && row.response_body.startsWith(`${SEALED_VERSION}.`)) {
      row.response_body = JSON.parse(this.box.open(row.response_body, sealContext(input.principal, input.key)));
    }
    return row;
  }

  async complete(principal: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4
        WHERE principal = $1 AND key = $2`,
      [principal, key, status, JSON.stringify(this.box.seal(JSON.stringify(body ?? null), sealContext(principal, key)))],
    );
  }

  /** Releases a claim whose request failed on our side, so that the client may retry with the same key. */
  async release(principal: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND state = 'in_flight'`, [
      principal,
      key,
    ]);
  }

  async deleteExpired(now: Date, limit = 5000): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `WITH deleted AS (DELETE FROM idempotency_keys
                         WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2) RETURNING 1)
       SELECT count(*)::int AS n FROM deleted`,
      [now, limit],
    );
    return n;
  }
}

/** What a sealed response is bound to: it opens only for the row it was stored in. */
function sealContext(principal: string, key: string): string {
  return `idempotency:${principal}:${key}`;
}
