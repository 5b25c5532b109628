import { foldText, matchesKeywords } from './text-match';

describe('keyword matching', () => {
  it.each([
    ['whole word, any case', 'What is the PRICE?', ['price'], true],
    ['not inside another word', 'priceless content', ['price'], false],
    ['"hi" is not in "this"', 'this is great', ['hi'], false],
    ['accents ignored in the text', 'Quel est le prix du contenu exclusif ? Très cher', ['tres'], true],
    ['accents ignored in the keyword', 'the cafe is open', ['café'], true],
    ['a phrase as a whole', 'So how   much is it', ['how much'], true],
    ['a phrase needs all its words', 'how is it', ['how much'], false],
    ['any keyword of the list', 'send a video', ['photo', 'video'], true],
    ['punctuation is a boundary', 'vip!', ['vip'], true],
    ['digits are word characters', 'vip2', ['vip'], false],
    ['regex characters in keywords are literal', 'is it 10$ or more', ['10$'], true],
    ['regex characters do not act as regex', 'aaa', ['a+'], false],
    ['empty keywords never match', 'anything', ['  '], false],
  ])('%s', (_name, text, keywords, expected) => {
    expect(matchesKeywords(text, keywords)).toBe(expected);
  });

  it('folds text: lower-case, no accents, collapsed spaces', () => {
    expect(foldText('  Ça  VA   Élodie ')).toBe('ca va elodie');
  });
});
