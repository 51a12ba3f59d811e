import { canonicalJson } from './idempotency.interceptor';

describe('canonicalJson', () => {
  it('gives the same text whatever the order of object keys, at any depth', () => {
    const a = { reference: 'ORDER-1', consignee: { name: 'Erika', address: { city: 'Berlin', country: 'DE' } }, notify: { sms: true, email: false } };
    const b = { notify: { email: false, sms: true }, consignee: { address: { country: 'DE', city: 'Berlin' }, name: 'Erika' }, reference: 'ORDER-1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"consignee":{"address":{"city":"Berlin","country":"DE"},"name":"Erika"},"notify":{"email":false,"sms":true},"reference":"ORDER-1"}',
    );
  });

  it('sorts keys inside objects that sit in arrays', () => {
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe(canonicalJson([{ a: 2, b: 1 }]));
  });

  it('keeps the order of array items, which is part of the meaning', () => {
    expect(canonicalJson({ items: [1, 2] })).not.toBe(canonicalJson({ items: [2, 1] }));
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ quantity: 1 })).not.toBe(canonicalJson({ quantity: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ a: { b: 1 } })).not.toBe(canonicalJson({ 'a.b': 1 }));
  });

  it('drops undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('writes scalars, null and a missing body as JSON', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
  });

  it('escapes keys so that they cannot forge structure', () => {
    expect(canonicalJson({ 'a":1,"b': 2 })).toBe('{"a\\":1,\\"b":2}');
  });
});
