import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AdminRole } from '../../auth/principal';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: AdminRole;
  created_at: Date;
  disabled_at: Date | null;
}

@Injectable()
export class AdminUsersRepository {
  constructor(private readonly db: DataSource) {}

  /** Undefined when the email (case-insensitive) is taken. */
  async insert(tx: EntityManager, u: { email: string; name: string; role: AdminRole; at: Date }): Promise<AdminUserRow | undefined> {
    const rows: AdminUserRow[] = await tx.query(
      `INSERT INTO admin_users (email, name, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
      [u.email, u.name, u.role, u.at],
    );
    return rows[0];
  }

  list(): Promise<AdminUserRow[]> {
    return this.db.query(`SELECT * FROM admin_users ORDER BY created_at, id`);
  }

  async find(id: string, db: EntityManager = this.db.manager): Promise<AdminUserRow | undefined> {
    const rows: AdminUserRow[] = await db.query(`SELECT * FROM admin_users WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The user, locked for the rest of the transaction. */
  async findForUpdate(tx: EntityManager, id: string): Promise<AdminUserRow | undefined> {
    const rows: AdminUserRow[] = await tx.query(`SELECT * FROM admin_users WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /**
   * The ids of the enabled admins, locked in id order: two concurrent changes that could each remove the
   * other's last fellow admin queue here, and the second sees the first's result.
   */
  async lockEnabledAdmins(tx: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM admin_users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`);
    return rows.map((r) => r.id);
  }

  async update(tx: EntityManager, id: string, u: { name: string; role: AdminRole; disabledAt: Date | null }): Promise<AdminUserRow> {
    const rows: AdminUserRow[] = await tx.query(
      // A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]; a SELECT over the CTE is rows.
      `WITH u AS (UPDATE admin_users SET name = $2, role = $3, disabled_at = $4 WHERE id = $1 RETURNING *) SELECT * FROM u`,
      [id, u.name, u.role, u.disabledAt],
    );
    return rows[0];
  }
}
