import { randomBytes } from 'node:crypto';
import { surveyToken, surveyTokenHash, verifySurveyToken } from './survey-links';

describe('survey links', () => {
  const key = randomBytes(32);
  const shipmentId = '6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10';

  it('names the shipment, is the same every time, and is URL-safe', () => {
    const token = surveyToken(key, shipmentId);
    expect(token).toBe(surveyToken(key, shipmentId));
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(verifySurveyToken(key, token)).toBe(shipmentId);
    expect(surveyTokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['another key', (t: string) => t, randomBytes(32)],
    ['a changed shipment', (t: string) => `${surveyToken(key, '00000000-0000-4000-8000-000000000000').split('.')[0]}.${t.split('.')[1]}`, undefined],
    ['a cut signature', (t: string) => t.slice(0, -1), undefined],
    ['an extra part', (t: string) => `${t}.x`, undefined],
    ['garbage', () => 'not-a-token', undefined],
  ])('refuses %s', (_, tamper, otherKey) => {
    expect(verifySurveyToken(otherKey ?? key, tamper(surveyToken(key, shipmentId)))).toBeUndefined();
  });
});
