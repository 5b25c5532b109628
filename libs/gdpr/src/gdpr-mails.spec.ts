import { missingTranslations } from '@crescendo/platform';
import { GDPR_MAILS } from './gdpr-mails';

describe('GDPR e-mails', () => {
  it('every text is written in every language', () => {
    expect(missingTranslations(GDPR_MAILS)).toEqual([]);
  });

  it('the export-ready mail reads in the reader’s language, the link unchanged', () => {
    const p = { link: 'https://app.example.com/api/jobs/j1', linkMinutes: 15, keptDays: 7 };
    const [en, fr] = [GDPR_MAILS.en.exportReady(p), GDPR_MAILS.fr.exportReady(p)];
    expect(en.subject).toBe('Your Crescendo data export is ready');
    expect(fr.subject).toBe('Votre export de données Crescendo est prêt');
    expect(en.text).toContain('valid for 15 minutes');
    expect(fr.text).toContain('valable 15 minutes');
    for (const text of [en.text, fr.text]) expect(text).toContain(p.link);
  });
});
