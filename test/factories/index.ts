import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { generateTrackingNumber } from '../../src/modules/shipments/tracking-number';
import { admin } from '../utils/test-app';

export interface TestRetailer {
  id: string;
  key: string;
}
export interface TestCarrier {
  id: string;
  code: string;
  key: string;
}

export async function createRetailer(http: App, body: { name?: string; returnWindowDays?: number } = {}): Promise<TestRetailer> {
  const retailer = await admin(http).post('/v1/admin/retailers', { name: body.name ?? `Retailer ${randomUUID().slice(0, 8)}`, ...body });
  if (retailer.status !== 201) throw new Error(`retailer: ${retailer.status} ${JSON.stringify(retailer.body)}`);
  const key = await admin(http).post(`/v1/admin/retailers/${retailer.body.id}/api-keys`, { name: 'test' });
  if (key.status !== 201) throw new Error(`retailer key: ${key.status} ${JSON.stringify(key.body)}`);
  return { id: retailer.body.id, key: key.body.key };
}

export async function createCarrier(http: App): Promise<TestCarrier> {
  const code = `c-${randomUUID().slice(0, 12)}`;
  const carrier = await admin(http).post('/v1/admin/carriers', { code, name: `Carrier ${code}` });
  if (carrier.status !== 201) throw new Error(`carrier: ${carrier.status} ${JSON.stringify(carrier.body)}`);
  const key = await admin(http).post(`/v1/admin/carriers/${carrier.body.id}/api-keys`, {});
  return { id: carrier.body.id, code, key: key.body.key };
}

/** A valid booking body for a UK → DE parcel; override any part. */
export function bookingBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reference: `ORDER-${randomUUID()}`,
    service: 'standard',
    incoterm: 'DAP',
    origin: { country: 'GB', city: 'London', postcode: 'SW1A 1AA' },
    consignee: {
      name: 'Erika Mustermann',
      email: 'erika@example.com',
      phone: '+4915123456789',
      locale: 'de-DE',
      address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' },
    },
    items: [
      { description: 'Cotton T-shirt', hsCode: '610910', quantity: 2, unitValue: 1999, currency: 'EUR', originCountry: 'PT', weightGrams: 250 },
    ],
    notify: { email: true, sms: true },
    metadata: { channel: 'web' },
    ...overrides,
  };
}

export async function bookShipment(http: App, retailer: TestRetailer, overrides: Record<string, unknown> = {}) {
  const res = await request(http).post('/v1/shipments').set('Authorization', `Bearer ${retailer.key}`).send(bookingBody(overrides));
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; trackingNumber: string; reference: string; status: string };
}

let counter = 0;
/** A scan item for POST /v1/tracking-events. */
export function scan(trackingNumber: string, code: string, occurredAt: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  return { trackingNumber, eventId: `evt-${randomUUID()}-${counter}`, code, occurredAt, location: { country: 'DE', city: 'Berlin' }, ...extra };
}

export function postScans(http: App, key: string, events: object[]) {
  return request(http).post('/v1/tracking-events').set('Authorization', `Bearer ${key}`).send({ events });
}

/** Authenticated supertest calls for one key (retailer, carrier or admin). */
export function as(http: App, key: string) {
  const auth = { Authorization: `Bearer ${key}` };
  return {
    get: (path: string) => request(http).get(path).set(auth),
    post: (path: string, body?: object) => (body === undefined ? request(http).post(path).set(auth) : request(http).post(path).set(auth).send(body)),
    patch: (path: string, body: object) => request(http).patch(path).set(auth).send(body),
    delete: (path: string) => request(http).delete(path).set(auth),
  };
}

/** A well-formed tracking number (valid check character) that no shipment has. */
export function unusedTrackingNumber(): string {
  return generateTrackingNumber();
}

/** The same tracking number with its check character changed, so that it no longer validates. */
export function withWrongCheckCharacter(trackingNumber: string): string {
  const last = trackingNumber.slice(-1);
  return trackingNumber.slice(0, -1) + (last === '0' ? '1' : '0');
}

/** ISO instant `minutes` after `base`. */
export function at(base: Date, minutes: number): string {
  return new Date(base.getTime() + minutes * 60_000).toISOString();
}

export interface TestAdminUser {
  id: string;
  role: 'agent' | 'supervisor' | 'admin';
  /** The user's token (an admin key linked to the user). */
  key: string;
}

/** An admin user of the CX desk with a role, and its first token. */
export async function createAdminUser(http: App, role: TestAdminUser['role'], body: { email?: string; name?: string } = {}): Promise<TestAdminUser> {
  const email = body.email ?? `${role}-${randomUUID().slice(0, 8)}@passage.test`;
  const res = await admin(http).post('/v1/admin/users', { email, name: body.name ?? `Test ${role}`, role });
  if (res.status !== 201) throw new Error(`admin user: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, role, key: res.body.token.key };
}
