import { isPublicAddress, webhookUrlIssue } from './webhook-url';

describe('webhookUrlIssue', () => {
  it.each(['https://shop.example.com/hooks', 'https://shop.example.com:8443/hooks?x=1', 'https://93.184.216.34/hooks'])('accepts %s everywhere', (url) => {
    expect(webhookUrlIssue(url, 'production')).toBeUndefined();
    expect(webhookUrlIssue(url, 'development')).toBeUndefined();
  });

  it.each(['http://localhost:4000/hooks', 'http://127.0.0.1:4000/hooks', 'http://[::1]:4000/hooks'])('accepts plain http to %s outside production only', (url) => {
    expect(webhookUrlIssue(url, 'test')).toBeUndefined();
    expect(webhookUrlIssue(url, 'development')).toBeUndefined();
    expect(webhookUrlIssue(url, 'production')).toMatch(/must use https/);
  });

  it('refuses plain http to any other host, in any environment', () => {
    expect(webhookUrlIssue('http://shop.example.com/hooks', 'development')).toMatch(/must use https/);
  });

  it.each([
    ['not a url', /absolute https URL/],
    ['ftp://shop.example.com/hooks', /must use https/],
    ['https://user:pass@shop.example.com/hooks', /credentials/],
    ['https://shop.example.com/hooks#x', /fragment/],
  ])('refuses %j', (url, issue) => {
    expect(webhookUrlIssue(url, 'development')).toMatch(issue);
  });

  it.each(['https://localhost/hooks', 'https://127.0.0.1/hooks', 'https://10.1.2.3/hooks', 'https://192.168.0.10/hooks', 'https://172.20.0.1/hooks', 'https://169.254.169.254/latest', 'https://[fd00::1]/hooks', 'https://[::ffff:10.0.0.1]/hooks', 'https://db.internal/hooks', 'https://203.0.113.7/hooks'])(
    'refuses the private, loopback or reserved host of %s in production',
    (url) => {
      expect(webhookUrlIssue(url, 'production')).toBe('must be a publicly reachable host');
      expect(webhookUrlIssue(url, 'development')).toBeUndefined();
    },
  );
});

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888'])('is true for the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', 'not an address'])(
    'is false for %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(false);
    },
  );
});
