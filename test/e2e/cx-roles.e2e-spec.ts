import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { as, bookShipment, createAdminUser, createRetailer, TestAdminUser } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

type Role = 'agent' | 'supervisor' | 'admin';
type Operation = { 'x-roles'?: Role[]; security?: object[] };

/** A concrete path for an OpenAPI path template: unknown ids, a real country and currency. */
const concrete = (path: string) =>
  path
    .replace('{country}', 'DE')
    .replace('{currency}', 'EUR')
    .replace(/\{[A-Za-z]+\}/g, () => randomUUID());

describe('admin roles', () => {
  let t: TestApp;
  const users = {} as Record<Role, TestAdminUser>;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['agent', 'supervisor', 'admin'] as const) users[role] = await createAdminUser(t.http, role);
  }, 60_000);
  afterAll(() => t.close());

  describe('every admin route, from the OpenAPI document', () => {
    let routes: Array<{ method: string; path: string; roles: Role[] }>;

    beforeAll(async () => {
      const doc = (await request(t.http).get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
      routes = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/v1/admin/'))
        .flatMap(([path, methods]) =>
          // Without x-roles the guard lets only the admin role through.
          Object.entries(methods).map(([method, op]) => ({ method, path, roles: op['x-roles'] ?? ['admin'] })),
        );
    });

    it('lists the admin routes, each open to admin, and documents the CX desk’s roles', () => {
      expect(routes.length).toBeGreaterThan(30);
      for (const r of routes) expect({ route: `${r.method} ${r.path}`, admin: r.roles.includes('admin') }).toEqual({ route: `${r.method} ${r.path}`, admin: true });
      const rolesOf = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)?.roles;
      expect(rolesOf('post', '/v1/admin/rule-sets/{country}/versions')).toEqual(['admin']);
      expect(rolesOf('post', '/v1/admin/fx-rates')).toEqual(['admin']);
      expect(rolesOf('post', '/v1/admin/retailers')).toEqual(['admin']);
      expect(rolesOf('post', '/v1/admin/carriers')).toEqual(['admin']);
      expect(rolesOf('post', '/v1/admin/users')).toEqual(['admin']);
      expect(rolesOf('post', '/v1/admin/shipments/{id}/status')).toEqual(['supervisor', 'admin']);
      for (const path of ['/v1/admin/exceptions/{id}/assign', '/v1/admin/exceptions/{id}/notes', '/v1/admin/exceptions/{id}/resolve', '/v1/admin/exceptions/{id}/reopen', '/v1/admin/shipments/{id}/messages/resend']) {
        expect({ path, roles: rolesOf('post', path) }).toEqual({ path, roles: ['agent', 'supervisor', 'admin'] });
      }
      for (const [method, path] of [['post', '/v1/admin/incidents/preview'], ['post', '/v1/admin/incidents']]) expect({ path, roles: rolesOf(method, path) }).toEqual({ path, roles: ['agent', 'supervisor', 'admin'] });
      expect(rolesOf('post', '/v1/admin/incidents/{id}/close')).toEqual(['supervisor', 'admin']);
      // Every admin user route, reads included, is for the admin role only.
      const userRoutes = routes.filter((r) => r.path.startsWith('/v1/admin/users'));
      expect(userRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
        'delete /v1/admin/users/{id}/tokens/{keyId}',
        'get /v1/admin/users',
        'get /v1/admin/users/{id}',
        'patch /v1/admin/users/{id}',
        'post /v1/admin/users',
        'post /v1/admin/users/{id}/tokens',
        'post /v1/admin/users/{id}/tokens/revoke-all',
      ]);
      for (const r of userRoutes) expect({ route: `${r.method} ${r.path}`, roles: r.roles }).toEqual({ route: `${r.method} ${r.path}`, roles: ['admin'] });
      for (const r of routes.filter((route) => route.method === 'get' && !route.path.startsWith('/v1/admin/users'))) expect({ route: r.path, roles: r.roles }).toEqual({ route: r.path, roles: ['agent', 'supervisor', 'admin'] });
    });

    it('answers 403 FORBIDDEN to exactly the roles a route does not list, before looking at the request', async () => {
      for (const route of routes) {
        for (const role of ['agent', 'supervisor', 'admin'] as const) {
          const call = as(t.http, users[role].key);
          const path = concrete(route.path);
          const res = await (route.method === 'get' ? call.get(path) : route.method === 'delete' ? call.delete(path) : route.method === 'patch' ? call.patch(path, {}) : call.post(path, {}));
          const seen = { route: `${route.method.toUpperCase()} ${route.path}`, role, forbidden: res.status === 403 };
          expect(seen).toEqual({ ...seen, forbidden: !route.roles.includes(role) });
          if (res.status === 403) expect(res.body.error.code).toBe('FORBIDDEN');
        }
      }
    }, 60_000);
  });

  it('keeps an agent from writing rule sets, exchange rates, retailers, carriers and users, with 403 FORBIDDEN', async () => {
    const agent = as(t.http, users.agent.key);
    const writes = [
      agent.post('/v1/admin/rule-sets/DE/versions', { effectiveFrom: '2027-01-01', content: {} }),
      agent.post('/v1/admin/fx-rates', { base: 'EUR', quote: 'USD', rate: '1.1', validOn: '2026-12-01' }),
      agent.post('/v1/admin/retailers', { name: 'Sneaky' }),
      agent.post('/v1/admin/carriers', { code: 'sneaky', name: 'Sneaky' }),
      agent.post('/v1/admin/users', { email: 'sneaky@passage.test', name: 'Sneaky', role: 'admin' }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin role') });
    }
    const reads = await Promise.all([agent.get('/v1/admin/rule-sets'), agent.get('/v1/admin/rule-sets/DE'), agent.get('/v1/admin/exceptions'), agent.get('/v1/admin/audit')]);
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('lets a supervisor override a status, which an agent may not', async () => {
    const retailer = await createRetailer(t.http);
    const shipment = await bookShipment(t.http, retailer);
    const body = { status: 'in_transit', reason: 'The carrier confirmed the pickup by phone.' };
    const byAgent = await as(t.http, users.agent.key).post(`/v1/admin/shipments/${shipment.id}/status`, body);
    expect(byAgent.status).toBe(403);
    const bySupervisor = await as(t.http, users.supervisor.key).post(`/v1/admin/shipments/${shipment.id}/status`, body);
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body).toMatchObject({ from: 'booked', to: 'in_transit' });
  });

  it('treats the bootstrap ADMIN_TOKEN as the admin role', async () => {
    const res = await admin(t.http).post('/v1/admin/users', { email: `boot-${randomUUID().slice(0, 6)}@passage.test`, name: 'Via bootstrap', role: 'agent' });
    expect(res.status).toBe(201);
  });

  it('refuses admin routes to retailer keys, and retailer routes to admin users, whatever their role', async () => {
    const retailer = await createRetailer(t.http);
    await expect(as(t.http, retailer.key).get('/v1/admin/exceptions')).resolves.toMatchObject({ status: 403 });
    await expect(as(t.http, users.admin.key).get('/v1/shipments')).resolves.toMatchObject({ status: 403 });
  });
});
