import { formatMoney, readerLanguage } from './language';

describe('formatMoney', () => {
  it('writes an amount of smallest units as each language writes money', () => {
    expect(formatMoney(3900, 'eur', 'fr')).toBe('39,00\u00a0€');
    expect(formatMoney(3900, 'EUR', 'en')).toBe('€39.00');
  });

  it('divides by the currency’s own minor unit (whole yen, thousandths of a dinar)', () => {
    expect(formatMoney(500, 'jpy', 'en')).toBe('¥500');
    expect(formatMoney(1500, 'bhd', 'en')).toBe('BHD\u00a01.500');
  });

  it('falls back to two decimals and the code for a currency Intl does not know', () => {
    expect(formatMoney(1250, 'zzzz', 'en')).toBe('12.50 ZZZZ');
  });
});

describe('readerLanguage', () => {
  it('is the language the reader chose, else the workspace’s default, else English', () => {
    expect(readerLanguage('fr-FR', 'en')).toBe('fr-FR');
    expect(readerLanguage(undefined, 'fr')).toBe('fr');
    expect(readerLanguage(null, null)).toBe('en');
    // An empty choice (not a tag the API accepts) is no choice.
    expect(readerLanguage('', 'fr')).toBe('fr');
  });
});
