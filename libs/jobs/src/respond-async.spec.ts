import { prefersRespondAsync } from './respond-async';

describe('prefersRespondAsync (RFC 7240 Prefer)', () => {
  it('finds respond-async among the preferences, in any case, with values and parameters around it', () => {
    expect(prefersRespondAsync('respond-async')).toBe(true);
    expect(prefersRespondAsync('Respond-Async')).toBe(true);
    expect(prefersRespondAsync('wait=10, respond-async')).toBe(true);
    expect(prefersRespondAsync(' respond-async ; foo=bar')).toBe(true);
    expect(prefersRespondAsync(['return=minimal', 'respond-async'])).toBe(true);
  });

  it('is false without it', () => {
    expect(prefersRespondAsync(undefined)).toBe(false);
    expect(prefersRespondAsync('')).toBe(false);
    expect(prefersRespondAsync('return=representation')).toBe(false);
    expect(prefersRespondAsync('respond-asynchronously')).toBe(false);
    expect(prefersRespondAsync('foo="respond-async"')).toBe(false);
  });
});
