import { PiiRedaction } from './pii-redaction';

describe('PiiRedaction', () => {
  it('replaces e-mails and phone numbers by stable placeholders and restores them', () => {
    const r = new PiiRedaction();
    const text = 'Write to Grace <grace@example.com> or call +33 6 12 34 56 78; cc grace@example.com, bob@x.io';
    const redacted = r.redact(text);
    expect(redacted).toBe('Write to Grace <[EMAIL_1]> or call [PHONE_1]; cc [EMAIL_1], [EMAIL_2]');
    expect(r.categories).toEqual(['email', 'phone']);
    expect(r.restore('Dear [EMAIL_1], I will call [PHONE_1]. [EMAIL_9] is unknown.')).toBe(
      'Dear grace@example.com, I will call +33 6 12 34 56 78. [EMAIL_9] is unknown.',
    );
  });

  it('keeps JSON valid and leaves short numbers (scores, years) alone', () => {
    const r = new PiiRedaction();
    const json = JSON.stringify({ email: 'a.b+c@d.co', phone: '(555) 123-4567', score: 87, year: 2026 });
    const redacted = r.redact(json);
    expect(JSON.parse(redacted)).toEqual({ email: '[EMAIL_1]', phone: '[PHONE_1]', score: 87, year: 2026 });
    expect(JSON.parse(r.restore(redacted))).toEqual(JSON.parse(json));
  });

  it('changes nothing without identifiers', () => {
    const r = new PiiRedaction();
    expect(r.redact('Plan 3 posts for 2026-01-02')).toBe('Plan 3 posts for 2026-01-02');
    const ids = '{"id":"01234567-1234-4123-8123-123456789012","at":"2026-01-02T10:00:00.000Z"}';
    expect(r.redact(ids)).toBe(ids);
    expect(r.categories).toEqual([]);
  });

  it('restores placeholders cut between streamed deltas, and hands back a dangling [ at the end', () => {
    const r = new PiiRedaction();
    r.redact('mail grace@example.com, call +33 6 12 34 56 78');
    const restore = r.streamRestorer();
    const out = ['Dear [EM', 'AIL_', '1], call [', 'PHONE_1] [x] [', ''].map((d) => restore(d)).join('');
    expect(out + restore('', true)).toBe('Dear grace@example.com, call +33 6 12 34 56 78 [x] [');
  });
});
