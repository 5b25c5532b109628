import type { AiMessage } from './ai.types';

/** E-mail addresses and phone numbers: identifiers a model never needs verbatim to write or qualify. */
const PATTERNS: Array<{ kind: 'EMAIL' | 'PHONE'; pattern: RegExp }> = [
  { kind: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  // 9 to 15 digits with the separators people write (+33 6 12 34 56 78, (555) 123-4567), not inside a word or
  // an id (uuid segments) and not a date (8 digits). A bare run of 9+ digits counts as a phone number.
  { kind: 'PHONE', pattern: /(?<![\w.+-])(?:\+|\()?\d(?:[\s().-]{0,2}\d){8,14}(?![\w-])/g },
];

/**
 * Replaces identifiers in prompts by placeholders before they leave Crescendo (`[EMAIL_1]`, `[PHONE_2]`, the
 * same value always the same placeholder within a call) and puts them back in the answer.
 */
export class PiiRedaction {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counts = { EMAIL: 0, PHONE: 0 };

  /** The data categories the call would have carried without redaction. */
  get categories(): string[] {
    return Object.entries(this.counts)
      .filter(([, n]) => n > 0)
      .map(([kind]) => kind.toLowerCase());
  }

  redact(text: string): string {
    let out = text;
    for (const { kind, pattern } of PATTERNS) {
      out = out.replace(pattern, (value) => {
        let placeholder = this.byValue.get(value);
        if (!placeholder) {
          placeholder = `[${kind}_${++this.counts[kind]}]`;
          this.byValue.set(value, placeholder);
          this.byPlaceholder.set(placeholder, value);
        }
        return placeholder;
      });
    }
    return out;
  }

  redactMessages(messages: AiMessage[]): AiMessage[] {
    return messages.map((m) => ({ ...m, content: this.redact(m.content) }));
  }

  /**
   * Restores placeholders in a streamed answer, delta by delta: a placeholder cut between two deltas is held
   * back until it is whole. Call with the final `flush` (true) to get what is still held.
   */
  streamRestorer(): (delta: string, flush?: boolean) => string {
    let held = '';
    return (delta, flush = false) => {
      const text = held + delta;
      // A `[` near the end that may still become a placeholder (at most `[PHONE_99999]`).
      const open = flush ? -1 : text.lastIndexOf('[');
      const partial =
        open >= 0 &&
        /^\[(?:E(?:M(?:A(?:I(?:L(?:_\d*)?)?)?)?)?|P(?:H(?:O(?:N(?:E(?:_\d*)?)?)?)?)?)?$/.test(text.slice(open));
      held = partial ? text.slice(open) : '';
      return this.restore(partial ? text.slice(0, open) : text);
    };
  }

  restore(text: string): string {
    if (!this.byPlaceholder.size) return text;
    return text.replace(/\[(EMAIL|PHONE)_\d+\]/g, (placeholder) => this.byPlaceholder.get(placeholder) ?? placeholder);
  }
}
