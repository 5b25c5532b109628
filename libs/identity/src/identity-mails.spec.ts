import { LANGUAGES, missingTranslations, Role } from '@crescendo/platform';
import { IDENTITY_MAILS } from './identity-mails';

describe('identity e-mails', () => {
  it('every text and every role is written in every language', () => {
    expect(missingTranslations(IDENTITY_MAILS)).toEqual([]);
    for (const language of LANGUAGES) {
      expect(Object.keys(IDENTITY_MAILS[language].roles).sort()).toEqual(Object.values(Role).sort());
    }
  });

  it('each mail reads differently in French and English, the link and token unchanged', () => {
    const link = 'https://app.example.com/#/x?token=abc';
    const mails = (language: 'en' | 'fr') => [
      IDENTITY_MAILS[language].passwordReset({ name: 'Ada', link, token: 'abc' }),
      IDENTITY_MAILS[language].invitation({ workspaceName: 'Acme', role: Role.Admin, link, token: 'abc' }),
    ];
    const [en, fr] = [mails('en'), mails('fr')];
    en.forEach((mail, i) => {
      expect(fr[i].subject).not.toBe(mail.subject);
      expect(fr[i].text).not.toBe(mail.text);
      for (const text of [mail.text, fr[i].text]) expect(text).toContain(link);
    });
    expect(fr[1].text).toContain('avec le rôle « Administrateur »');
  });
});
