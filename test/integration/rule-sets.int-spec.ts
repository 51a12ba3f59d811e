import { DataSource } from 'typeorm';
import { RuleSetRepository } from '../../src/modules/country-rules/rule-set/rule-set.repository';
import { RuleSetSeeder } from '../../src/modules/country-rules/rule-set/rule-set.seeder';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { RULE_SET_SEED } from '../../src/modules/country-rules/seed/rule-set-seed';
import { createTestApp, TestApp } from '../utils/test-app';

describe('rule sets in PostgreSQL', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const seededRows = async (): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM rule_sets WHERE author = 'seed'`))[0].n;

  it('holds every seeded version once, however often the seed runs', async () => {
    expect(await seededRows()).toBe(RULE_SET_SEED.length);
    await t.app.get(RuleSetSeeder).onApplicationBootstrap();
    await expect(db.transaction((tx) => t.app.get(RuleSetRepository).seed(tx, RULE_SET_SEED))).resolves.toBe(0);
    expect(await seededRows()).toBe(RULE_SET_SEED.length);
  });

  it('refuses to change or delete a stored version or an audit entry', async () => {
    await expect(db.query(`UPDATE rule_sets SET change_note = 'rewritten' WHERE country = 'DE'`)).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM rule_sets WHERE country = 'DE'`)).rejects.toThrow(/immutable/);
    await db.query(`INSERT INTO audit_log (actor, action, target_type, target_id) VALUES ('test', 'test.noop', 'test', 'x')`);
    await expect(db.query(`UPDATE audit_log SET actor = 'someone else' WHERE action = 'test.noop'`)).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM audit_log WHERE action = 'test.noop'`)).rejects.toThrow(/immutable/);
  });

  it('numbers versions written at the same time consecutively, without gaps or clashes', async () => {
    const repo = t.app.get(RuleSetRepository);
    const [{ max }] = await db.query(`SELECT coalesce(max(version), 0)::int AS max FROM rule_sets WHERE country = 'SG'`);
    const written = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction((tx) =>
          repo.append(tx, { country: 'SG', effectiveFrom: `2040-0${i + 1}-01`, content: { name: 'Singapore' }, author: 'test', changeNote: `parallel ${i}` }),
        ),
      ),
    );
    expect(written.map((w) => w.stored.version).sort((a, b) => a - b)).toEqual([max + 1, max + 2, max + 3, max + 4, max + 5]);
    t.app.get(RulesCache).invalidate();
  });
});
