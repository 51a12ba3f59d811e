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
}
