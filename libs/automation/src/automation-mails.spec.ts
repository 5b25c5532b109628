import { missingTranslations } from '@crescendo/platform';
import { AUTOMATION_MAILS } from './automation-mails';

describe('automation e-mails', () => {
  it('every text is written in every language, differently', () => {
    expect(missingTranslations(AUTOMATION_MAILS)).toEqual([]);
    expect(AUTOMATION_MAILS.en.notifySubject('Hot leads')).toBe('Automation: Hot leads');
    expect(AUTOMATION_MAILS.fr.notifySubject('Hot leads')).toBe('Automatisation : Hot leads');
  });
});
