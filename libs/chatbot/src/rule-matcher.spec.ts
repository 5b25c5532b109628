import { Intent } from './intent-classifier';
import { MatchType, MessageMatcher } from './rule-matcher';

const rule = (over: Partial<{ matchType: MatchType; keywords: string[]; pattern: string; intent: Intent }>) => ({
  matchType: MatchType.Keyword,
  keywords: null,
  pattern: null,
  intent: null,
  ...over,
});

describe('MessageMatcher', () => {
  it.each([
    ['keyword', rule({ keywords: ['prix'] }), 'Le PRÎX ?', true],
    ['keyword, whole word only', rule({ keywords: ['vip'] }), 'vipers', false],
    ['regex', rule({ matchType: MatchType.Regex, pattern: '\\btier\\s+\\d\\b' }), 'Tier 2 please', true],
    ['regex no match', rule({ matchType: MatchType.Regex, pattern: '^hello' }), 'well hello', false],
    ['unsafe regex stored anyway never runs', rule({ matchType: MatchType.Regex, pattern: '(a+)+$' }), 'aaa', false],
    ['intent', rule({ matchType: MatchType.Intent, intent: Intent.Pricing }), 'how much?', true],
    ['other intent', rule({ matchType: MatchType.Intent, intent: Intent.Greeting }), 'how much?', false],
  ])('%s', (_name, r, text, expected) => {
    expect(new MessageMatcher(text).matches(r as never)).toBe(expected);
  });

  it('classifies the intent once per message', () => {
    const matcher = new MessageMatcher('hello');
    expect(matcher.detectedIntent).toBe(Intent.Greeting);
    expect(matcher.matches(rule({ matchType: MatchType.Intent, intent: Intent.Greeting }) as never)).toBe(true);
  });
});
