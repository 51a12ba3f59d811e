import { webhookUrlIssue } from './webhook-url';

describe('webhookUrlIssue', () => {
  it.each(['https://shop.example.com/hooks', 'https://shop.example.com:8443/hooks?x=1', 'https://203.0.113.7/hooks'])('accepts %s everywhere', (url) => {
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

  it.each(['https://localhost/hooks', 'https://127.0.0.1/hooks', 'https://10.1.2.3/hooks', 'https://192.168.0.10/hooks', 'https://172.20.0.1/hooks', 'https://169.254.169.254/latest', 'https://[fd00::1]/hooks', 'https://[::ffff:10.0.0.1]/hooks', 'https://db.internal/hooks'])(
    'refuses the private or loopback host of %s in production',
    (url) => {
      expect(webhookUrlIssue(url, 'production')).toBe('must be a publicly reachable host');
      expect(webhookUrlIssue(url, 'development')).toBeUndefined();
    },
  );
});
