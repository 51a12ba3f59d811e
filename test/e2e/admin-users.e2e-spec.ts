import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { as, createAdminUser, TestAdminUser } from '../factories';
import { createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

describe('admin user management', () => {
  let t: TestApp;
  let db: DataSource;
  let boss: TestAdminUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    boss = await createAdminUser(t.http, 'admin');
  }, 60_000);
  afterAll(() => t.close());

  const auditOf = (userId: string) =>
    db.query(`SELECT actor, action, before, after FROM audit_log WHERE target_type = 'admin_user' AND target_id = $1 ORDER BY id`, [userId]);
  /** A request that needs any admin role: the first use of a token also puts its principal in the cache. */
  const desk = (key: string) => as(t.http, key).get('/v1/admin/exceptions');

  it('gets one user with their tokens, never the tokens themselves', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const res = await as(t.http, boss.key).get(`/v1/admin/users/${user.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, role: 'agent', disabledAt: null, tokens: [expect.objectContaining({ prefix: expect.stringMatching(/^psg_admin_/), revokedAt: null })] });
    expect(JSON.stringify(res.body)).not.toContain(user.key);
    await expect(as(t.http, boss.key).get(`/v1/admin/users/${randomUUID()}`)).resolves.toMatchObject({ status: 404, body: { error: { code: 'ADMIN_USER_NOT_FOUND' } } });
    await expect(as(t.http, boss.key).get('/v1/admin/users/nope')).resolves.toMatchObject({ status: 400 });
  });

  it('disables a user so that their token answers 401 on the next request, and re-enables them as quickly, audited', async () => {
    const user = await createAdminUser(t.http, 'agent');
    await expect(desk(user.key)).resolves.toMatchObject({ status: 200 }); // cached now

    const disabled = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: user.id, disabledAt: expect.any(String) });
    await expect(desk(user.key)).resolves.toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });

    const enabled = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { disabled: false });
    expect(enabled.body).toMatchObject({ disabledAt: null });
    await expect(desk(user.key)).resolves.toMatchObject({ status: 200 });

    const actions = (await auditOf(user.id)).slice(1);
    expect(actions).toEqual([
      { actor: `user:${boss.id}`, action: 'admin_user.updated', before: { name: 'Test agent', role: 'agent', disabled: false }, after: { name: 'Test agent', role: 'agent', disabled: true } },
      { actor: `user:${boss.id}`, action: 'admin_user.updated', before: { name: 'Test agent', role: 'agent', disabled: true }, after: { name: 'Test agent', role: 'agent', disabled: false } },
    ]);
  });

  it('applies a new role to every token of the user on their next request', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const second = await as(t.http, boss.key).post(`/v1/admin/users/${user.id}/tokens`, { name: 'laptop' });
    const overrideBody = { status: 'in_transit', reason: 'A role test; the shipment does not exist.' };
    for (const key of [user.key, second.body.key as string]) {
      await expect(as(t.http, key).get('/v1/admin/users')).resolves.toMatchObject({ status: 403 });
      await expect(as(t.http, key).post(`/v1/admin/shipments/${randomUUID()}/status`, overrideBody)).resolves.toMatchObject({ status: 403 });
    }

    await expect(as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { role: 'supervisor' })).resolves.toMatchObject({ status: 200, body: { role: 'supervisor' } });
    for (const key of [user.key, second.body.key as string]) {
      await expect(as(t.http, key).get('/v1/admin/users')).resolves.toMatchObject({ status: 403 });
      await expect(as(t.http, key).post(`/v1/admin/shipments/${randomUUID()}/status`, overrideBody)).resolves.toMatchObject({ status: 404 });
    }

    await expect(as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { role: 'admin' })).resolves.toMatchObject({ status: 200 });
    await expect(as(t.http, user.key).get('/v1/admin/users')).resolves.toMatchObject({ status: 200 });
    await expect(as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { role: 'agent', name: 'Back to the desk' })).resolves.toMatchObject({ status: 200, body: { role: 'agent', name: 'Back to the desk' } });
    await expect(as(t.http, user.key).get('/v1/admin/users')).resolves.toMatchObject({ status: 403 });
    expect((await auditOf(user.id)).filter((a: { action: string }) => a.action === 'admin_user.updated').map((a: { after: { role: string } }) => a.after.role)).toEqual(['supervisor', 'admin', 'agent']);
  });

  it('answers a change that changes nothing with the user, and audits nothing', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const res = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { role: 'agent', disabled: false, name: 'Test agent' });
    expect(res).toMatchObject({ status: 200, body: { role: 'agent', disabledAt: null } });
    expect((await auditOf(user.id)).map((a: { action: string }) => a.action)).toEqual(['admin_user.created']);
  });

  it('revokes every token of a user at once, keeps the user, and audits the ids and prefixes only', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const second = await as(t.http, boss.key).post(`/v1/admin/users/${user.id}/tokens`, { name: 'phone' });
    const keys = [user.key, second.body.key as string];
    for (const key of keys) await expect(desk(key)).resolves.toMatchObject({ status: 200 });

    const res = await as(t.http, boss.key).post(`/v1/admin/users/${user.id}/tokens/revoke-all`);
    expect(res.status).toBe(200);
    expect(res.body.revoked).toHaveLength(2);
    expect(res.body.revoked.map((k: { id: string }) => k.id)).toContain(second.body.id);
    for (const k of res.body.revoked) expect(k.revokedAt).toEqual(expect.any(String));
    for (const key of keys) await expect(desk(key)).resolves.toMatchObject({ status: 401 });

    const audit = await auditOf(user.id);
    expect(audit.at(-1)).toEqual({
      actor: `user:${boss.id}`,
      action: 'admin_user.tokens_revoked',
      before: { activeTokens: res.body.revoked.map((k: { id: string; prefix: string }) => ({ tokenId: k.id, prefix: k.prefix })) },
      after: { activeTokens: [] },
    });
    for (const key of keys) expect(JSON.stringify(audit)).not.toContain(key);

    const again = await as(t.http, boss.key).post(`/v1/admin/users/${user.id}/tokens/revoke-all`);
    expect(again).toMatchObject({ status: 200, body: { revoked: [] } });
    expect(await auditOf(user.id)).toHaveLength(audit.length);
    const fresh = await as(t.http, boss.key).post(`/v1/admin/users/${user.id}/tokens`, {});
    await expect(desk(fresh.body.key)).resolves.toMatchObject({ status: 200 });
    await expect(as(t.http, boss.key).post(`/v1/admin/users/${randomUUID()}/tokens/revoke-all`)).resolves.toMatchObject({ status: 404 });
  });

  it('revokes one token and audits it in the same transaction', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const [token] = (await as(t.http, boss.key).get(`/v1/admin/users/${user.id}`)).body.tokens;
    await expect(desk(user.key)).resolves.toMatchObject({ status: 200 });
    await expect(as(t.http, boss.key).delete(`/v1/admin/users/${user.id}/tokens/${token.id}`)).resolves.toMatchObject({ status: 204 });
    await expect(desk(user.key)).resolves.toMatchObject({ status: 401 });
    expect((await auditOf(user.id)).at(-1)).toEqual({
      actor: `user:${boss.id}`,
      action: 'admin_user.token_revoked',
      before: { tokenId: token.id, prefix: token.prefix, revoked: false },
      after: { tokenId: token.id, prefix: token.prefix, revoked: true },
    });
    // Another user's token id under this user: nothing revoked, nothing audited.
    const other = await createAdminUser(t.http, 'agent');
    const [otherToken] = (await as(t.http, boss.key).get(`/v1/admin/users/${other.id}`)).body.tokens;
    await expect(as(t.http, boss.key).delete(`/v1/admin/users/${user.id}/tokens/${otherToken.id}`)).resolves.toMatchObject({ status: 404, body: { error: { code: 'TOKEN_NOT_FOUND' } } });
    await expect(desk(other.key)).resolves.toMatchObject({ status: 200 });
    expect((await auditOf(user.id)).filter((a: { action: string }) => a.action === 'admin_user.token_revoked')).toHaveLength(1);
  });

  it('keeps the new routes for the admin role: agents and supervisors get 403', async () => {
    const target = await createAdminUser(t.http, 'agent');
    for (const role of ['agent', 'supervisor'] as const) {
      const caller = as(t.http, (await createAdminUser(t.http, role)).key);
      const calls = await Promise.all([
        caller.get(`/v1/admin/users/${target.id}`),
        caller.patch(`/v1/admin/users/${target.id}`, { role: 'admin' }),
        caller.post(`/v1/admin/users/${target.id}/tokens/revoke-all`),
      ]);
      for (const res of calls) expect({ role, status: res.status, code: res.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
    await expect(as(t.http, target.key).get('/v1/admin/users/' + target.id)).resolves.toMatchObject({ status: 403 });
    const [created] = await auditOf(target.id);
    expect(await auditOf(target.id)).toEqual([created]);
    await expect(desk(target.key)).resolves.toMatchObject({ status: 200 });
  });

  it('answers bad bodies with 400 and the fields at fault', async () => {
    const user = await createAdminUser(t.http, 'agent');
    const bad = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { role: 'overlord', name: '  ', disabled: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['disabled', 'name', 'role']);
    const unknown = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, { email: 'new@passage.test' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: 'email', issue: 'is not a known field' }]);
    const empty = await as(t.http, boss.key).patch(`/v1/admin/users/${user.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ field: 'body', issue: 'must set at least one of role, name, disabled' }]);
    await expect(as(t.http, boss.key).patch('/v1/admin/users/nope', { role: 'agent' })).resolves.toMatchObject({ status: 400 });
    await expect(as(t.http, boss.key).patch(`/v1/admin/users/${randomUUID()}`, { role: 'agent' })).resolves.toMatchObject({ status: 404 });
    expect(await auditOf(user.id)).toHaveLength(1);
  });

  describe('the last enabled admin', () => {
    // The rule is global, so this block disables every other enabled admin for its duration and restores
    // them after. It relies on suites running one at a time, as `npm test` runs them (--runInBand).
    let parked: string[] = [];
    let a: TestAdminUser;
    let b: TestAdminUser;

    beforeAll(async () => {
      a = await createAdminUser(t.http, 'admin');
      b = await createAdminUser(t.http, 'admin');
      const rows: { id: string }[] = await db.query(
        `UPDATE admin_users SET disabled_at = now() WHERE role = 'admin' AND disabled_at IS NULL AND id <> ALL($1::uuid[]) RETURNING id`,
        [[a.id, b.id]],
      );
      parked = rows.map((r) => r.id);
    });
    afterAll(async () => {
      await db.query(`UPDATE admin_users SET disabled_at = NULL WHERE id = ANY($1::uuid[])`, [parked]);
    });

    it('lets two admins race to demote each other, and keeps one of them an admin', async () => {
      const [ab, ba] = await Promise.all([
        as(t.http, a.key).patch(`/v1/admin/users/${b.id}`, { role: 'agent' }),
        as(t.http, b.key).patch(`/v1/admin/users/${a.id}`, { role: 'agent' }),
      ]);
      const statuses = [ab.status, ba.status].sort();
      // The loser is either refused by the guard (409) or, once demoted, by the role check (403).
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM admin_users WHERE id = ANY($1::uuid[]) AND role = 'admin' AND disabled_at IS NULL`, [[a.id, b.id]]);
      expect(n).toBe(1);
      const demoted = ab.status === 200 ? b : a;
      await expect(as(t.http, TEST_ADMIN_TOKEN).patch(`/v1/admin/users/${demoted.id}`, { role: 'admin' })).resolves.toMatchObject({ status: 200 });
    });

    it('refuses to disable or demote the last enabled admin, even by themselves, with 409 LAST_ADMIN', async () => {
      await expect(as(t.http, a.key).patch(`/v1/admin/users/${b.id}`, { disabled: true })).resolves.toMatchObject({ status: 200 });
      for (const [caller, body, field] of [
        [a.key, { role: 'supervisor' }, 'role'],
        [a.key, { disabled: true }, 'disabled'],
        [a.key, { role: 'admin', disabled: true }, 'disabled'],
      ] as const) {
        const res = await as(t.http, caller).patch(`/v1/admin/users/${a.id}`, body);
        expect({ body, status: res.status, error: res.body.error }).toEqual({
          body,
          status: 409,
          error: expect.objectContaining({ code: 'LAST_ADMIN', details: [{ field, issue: 'would leave no enabled admin user' }] }),
        });
      }
      // Not even the bootstrap token may: it is not counted as an admin user.
      await expect(as(t.http, TEST_ADMIN_TOKEN).patch(`/v1/admin/users/${a.id}`, { role: 'agent' })).resolves.toMatchObject({ status: 409 });
      await expect(as(t.http, a.key).get('/v1/admin/users')).resolves.toMatchObject({ status: 200 });
      // Renaming is fine; and once another admin is enabled, the first may step down.
      await expect(as(t.http, a.key).patch(`/v1/admin/users/${a.id}`, { name: 'Still in charge' })).resolves.toMatchObject({ status: 200 });
      await expect(as(t.http, a.key).patch(`/v1/admin/users/${b.id}`, { disabled: false })).resolves.toMatchObject({ status: 200 });
      await expect(as(t.http, a.key).patch(`/v1/admin/users/${a.id}`, { role: 'supervisor' })).resolves.toMatchObject({ status: 200, body: { role: 'supervisor' } });
      await expect(as(t.http, a.key).get('/v1/admin/users')).resolves.toMatchObject({ status: 403 });
    });
  });
});
