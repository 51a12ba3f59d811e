import { ACTIVE_STATUSES, IncidentScope, messagesIssues, scopeFromRow, scopePredicate, scopeView, toIncidentScope } from './incident-scope';

describe('incident scopes', () => {
  it.each([
    [{ facility: ' LEJ hub ' }, { type: 'facility', facility: 'LEJ hub' }],
    [{ country: 'FR' }, { type: 'country', country: 'FR' }],
    [{ lane: { origin: 'GB', destination: 'DE' } }, { type: 'lane', origin: 'GB', destination: 'DE' }],
    [{ manifest: 'LH8220-20261124' }, { type: 'manifest', manifest: 'LH8220-20261124' }],
    [{ shipmentIds: ['6F1C2D9E-5B7A-4A0E-9C51-2B8F3E7D4A10', '6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10'] }, { type: 'shipments', shipmentIds: ['6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10'] }],
  ])('reads %j as one scope', (input, scope) => {
    expect(toIncidentScope(input)).toEqual(scope);
    expect(scopeFromRow(scope.type as never, scopeView(scope as never))).toEqual(scope);
  });

  it.each([
    [{}, 'scope'],
    [{ country: 'FR', manifest: 'X' }, 'scope'],
    [{ facility: '   ' }, 'scope.facility'],
    [{ lane: { origin: 'DE', destination: 'DE' } }, 'scope.lane'],
  ])('refuses %j, naming %s', (input, field) => {
    expect(toIncidentScope(input)).toMatchObject({ field });
  });

  it('numbers its parameters from where the caller says, and always keeps to parcels on their way', () => {
    const since = new Date('2026-11-17T00:00:00Z');
    const facility = scopePredicate({ type: 'facility', facility: 'LEJ Hub' }, since, 3);
    expect(facility.params).toEqual(['lej hub', since]);
    expect(facility.sql).toContain('$3');
    expect(facility.sql).toContain('$4');
    expect(facility.sql).not.toContain('$5');
    const scopes: IncidentScope[] = [
      { type: 'country', country: 'FR' },
      { type: 'lane', origin: 'GB', destination: 'DE' },
      { type: 'manifest', manifest: 'M1' },
      { type: 'shipments', shipmentIds: [] },
      { type: 'facility', facility: 'F' },
    ];
    for (const scope of scopes) {
      expect(scopePredicate(scope, since, 1).sql).toContain(`s.status IN ('${ACTIVE_STATUSES.join("', '")}')`);
    }
  });

  it('takes messages only in catalog locales, non-empty and short', () => {
    expect(messagesIssues(undefined, 'messages')).toEqual([]);
    expect(messagesIssues({ de: 'Verspätung', 'pt-BR': 'Atraso' }, 'messages')).toEqual([]);
    expect(messagesIssues({}, 'messages')).toEqual([expect.objectContaining({ field: 'messages' })]);
    expect(messagesIssues(['x'], 'messages')).toEqual([expect.objectContaining({ field: 'messages' })]);
    expect(messagesIssues({ xx: 'Hi', en: ' ', fr: 'x'.repeat(281), de: 3 }, 'messages').map((i) => i.field)).toEqual(['messages.xx', 'messages.en', 'messages.fr', 'messages.de']);
  });
});
