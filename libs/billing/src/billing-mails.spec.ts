import { formatMoney, missingTranslations } from '@crescendo/platform';
import { BILLING_MAILS } from './billing-mails';

describe('billing e-mails', () => {
  it('every text is written in every language', () => {
    expect(missingTranslations(BILLING_MAILS)).toEqual([]);
  });

  it('the failed payment reads in the reader’s language, its amount written their way, the link unchanged', () => {
    const link = 'https://invoice.stripe.com/i/abc';
    const mail = (language: 'en' | 'fr') =>
      BILLING_MAILS[language].paymentFailed({ name: 'Ada', amount: formatMoney(3900, 'eur', language), link });
    const [en, fr] = [mail('en'), mail('fr')];
    expect(en.subject).toBe('Your Crescendo payment failed');
    expect(fr.subject).toBe('Votre paiement Crescendo a échoué');
    expect(en.text).toContain('The payment of €39.00 ');
    expect(fr.text).toMatch(/Le paiement de 39,00\s€ /);
    for (const text of [en.text, fr.text]) expect(text).toContain(link);
  });
});
