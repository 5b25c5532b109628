import { classifyIntent, Intent } from './intent-classifier';
import { checkRegex, matchesRegex } from './safe-regex';
import { matchesKeywords } from './text-match';

export enum MatchType {
  Keyword = 'keyword',
  Regex = 'regex',
  Intent = 'intent',
}
export const matchTypes = Object.values(MatchType);

export interface MatchableRule {
  matchType: MatchType;
  keywords: string[] | null;
  pattern: string | null;
  intent: Intent | null;
}

/** Matches one message against rules; the intent is classified once, on first need. */
export class MessageMatcher {
  private intent: Intent | null | undefined;

  constructor(readonly text: string) {}

  get detectedIntent(): Intent | null {
    if (this.intent === undefined) this.intent = classifyIntent(this.text);
    return this.intent;
  }

  matches(rule: MatchableRule): boolean {
    switch (rule.matchType) {
      case MatchType.Keyword:
        return matchesKeywords(this.text, rule.keywords ?? []);
      case MatchType.Regex: {
        // Checked at save; checked again so a row written another way can never run unsafely.
        const check = rule.pattern ? checkRegex(rule.pattern) : null;
        return !!check?.ok && matchesRegex(check.regex, this.text);
      }
      case MatchType.Intent:
        return rule.intent !== null && this.detectedIntent === rule.intent;
    }
  }
}
