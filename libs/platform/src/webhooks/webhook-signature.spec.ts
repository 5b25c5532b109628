import { signatureHeader, verifySignature } from './webhook-signature';
import { assertPublicUrl, isPrivateAddress, UnsafeUrlError } from './safe-http';

describe('webhook signatures', () => {
  const body = JSON.stringify({ email: 'ada@example.com' });
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);

  it('accepts a fresh signature made with the secret', () => {
    expect(verifySignature(signatureHeader('s3cret', body, now), body, ['s3cret'], now)).toMatchObject({ ok: true });
  });

  it('accepts the previous secret while rotating', () => {
    expect(verifySignature(signatureHeader('old', body, now), body, ['new', 'old'], now).ok).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'v1=abc'],
    ['malformed', 't=abc,v1=' + 'a'.repeat(64)],
  ])('refuses a %s header', (reason, header) => {
    expect(verifySignature(header, body, ['s3cret'], now)).toEqual({ ok: false, reason });
  });

  it('covers the event id when the sender signs it, and says whether it did', () => {
    const signed = signatureHeader('s3cret', body, now, 'evt_1');
    expect(verifySignature(signed, body, ['s3cret'], now, 300, 'evt_1')).toEqual({
      ok: true,
      timestamp: now / 1000,
      eventIdSigned: true,
    });
    expect(verifySignature(signed, body, ['s3cret'], now, 300, 'evt_2')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(signed, body, ['s3cret'], now)).toEqual({ ok: false, reason: 'mismatch' });
    // A signature over "t.body" alone still verifies, but the id that came with it is not vouched for.
    const bodyOnly = signatureHeader('s3cret', body, now);
    expect(verifySignature(bodyOnly, body, ['s3cret'], now, 300, 'evt_9')).toMatchObject({
      ok: true,
      eventIdSigned: false,
    });
  });

  it('refuses another body, another secret, and a timestamp outside five minutes', () => {
    const header = signatureHeader('s3cret', body, now);
    expect(verifySignature(header, body + ' ', ['s3cret'], now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, body, ['other'], now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, body, ['s3cret'], now + 301_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(header, body, ['s3cret'], now - 301_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(header, body, ['s3cret'], now + 299_000).ok).toBe(true);
  });
});

describe('outgoing URL guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('treats %s as private', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111'])('treats %s as public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('refuses loopback, link-local and non-http URLs unless private addresses are allowed', async () => {
    await expect(assertPublicUrl('http://127.0.0.1:8080/hook', false)).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(assertPublicUrl('http://localhost/hook', false)).rejects.toMatchObject({ reason: 'private-address' });
    await expect(assertPublicUrl('http://169.254.169.254/latest', false)).rejects.toMatchObject({
      reason: 'private-address',
    });
    await expect(assertPublicUrl('http://[::1]/hook', false)).rejects.toMatchObject({ reason: 'private-address' });
    await expect(assertPublicUrl('file:///etc/passwd', true)).rejects.toMatchObject({ reason: 'scheme' });
    await expect(assertPublicUrl('http://user:pw@example.com/', true)).rejects.toMatchObject({ reason: 'credentials' });
    await expect(assertPublicUrl('http://127.0.0.1:8080/hook', true)).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('http://93.184.216.34/hook', false)).resolves.toBeInstanceOf(URL);
  });
});
