import { cleanTitle, fallbackTitle, preview, slugify, withTag } from './chat-text';

describe('chat text helpers', () => {
  it('slugifies titles with accents, punctuation and non-Latin scripts', () => {
    expect(slugify('Stratégie marketing : Été 2025 !')).toBe('strategie-marketing-ete-2025');
    expect(slugify('Привет мир')).toBe('conversation');
    expect(slugify('a'.repeat(80))).toHaveLength(60);
  });

  it('falls back to the first six words', () => {
    expect(fallbackTitle('  Comment   améliorer ma stratégie marketing digitale en 2025 ?')).toBe(
      'Comment améliorer ma stratégie marketing digitale…',
    );
    expect(fallbackTitle('Bonjour')).toBe('Bonjour');
  });

  it('cleans AI titles', () => {
    expect(cleanTitle('Title: "Stratégie marketing."\nmore')).toBe('Stratégie marketing');
    expect(cleanTitle('«Vidéo»')).toBe('Vidéo');
    expect(cleanTitle('  \n ')).toBeNull();
  });

  it('previews and tags', () => {
    expect(preview('a\n b', 10)).toBe('a b');
    expect(preview('x'.repeat(300))).toHaveLength(200);
    expect(withTag(['a'], 'a', 2)).toEqual(['a']);
    expect(withTag(['a'], 'b', 2)).toEqual(['a', 'b']);
    expect(withTag(['a', 'b'], 'c', 2)).toBeNull();
  });
});
