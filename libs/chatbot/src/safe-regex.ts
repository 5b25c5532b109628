/**
 * User regexes for auto-reply rules. Node has no linear-time engine here (re2 is not installed) and we
 * refuse timeouts, so a pattern is accepted only when its backtracking stays bounded:
 * - at most MAX_PATTERN_LENGTH characters, compiles with flags `iu`;
 * - no back-references (`\1`, `\k<name>`): they defeat every bound below;
 * - no nested quantifiers: a repeated group may not contain a quantifier (`(a+)+`, `(a?){20}`: exponential);
 * - no unbounded repetition of a group with alternation (`(a|aa)*`: exponential);
 * - at most MAX_UNBOUNDED_QUANTIFIERS `*`, `+` or `{n,}` in all (`.*.*.*.*x` is polynomial of that degree);
 * and it is run on the first MAX_REGEX_INPUT characters of a message only, so the worst case stays small.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_UNBOUNDED_QUANTIFIERS = 3;
export const MAX_REGEX_INPUT = 300;
export const REGEX_FLAGS = 'iu';

export type RegexCheck = { ok: true; regex: RegExp } | { ok: false; reason: 'invalid' | 'unsafe'; message: string };

interface Group {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** A quantifier starting at `i`: its length and its maximum repetitions (Infinity when unbounded). */
function quantifierAt(pattern: string, i: number): { length: number; max: number } | null {
  const c = pattern[i];
  let length = 0;
  let max = 0;
  if (c === '*' || c === '+') [length, max] = [1, Infinity];
  else if (c === '?') [length, max] = [1, 1];
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return null;
    length = m[0].length;
    max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  } else return null;
  if (pattern[i + length] === '?') length += 1; // lazy: same backtracking
  return { length, max };
}

export function checkRegex(pattern: string): RegexCheck {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, reason: 'invalid', message: `pattern must be 1 to ${MAX_PATTERN_LENGTH} characters` };
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, REGEX_FLAGS);
  } catch (error) {
    return { ok: false, reason: 'invalid', message: (error as Error).message };
  }
  const unsafe = (message: string): RegexCheck => ({ ok: false, reason: 'unsafe', message });
  // The pattern compiled with `u`, so its syntax is strict: a small scanner is enough.
  const stack: Group[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unbounded = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      if (/[1-9]/.test(pattern[i + 1]) || pattern[i + 1] === 'k') return unsafe('back-references are not allowed');
      // \p{…} \P{…} \u{…}: the braces belong to the escape, not a quantifier.
      i = /[pPu]/.test(pattern[i + 1] ?? '') && pattern[i + 2] === '{' ? pattern.indexOf('}', i) + 1 : i + 2;
    } else if (c === '[') {
      i += 1;
      if (pattern[i] === '^') i += 1;
      if (pattern[i] === ']') i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (c === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      i += 1;
      if (pattern[i] === '?') i += 1; // (?: (?= (?! (?<= (?<! (?<name>: the `?` is not a quantifier
      continue;
    } else if (c === ')') {
      const group = stack.pop()!;
      i += 1;
      const q = quantifierAt(pattern, i);
      const parent = stack[stack.length - 1];
      if (q) {
        if (q.max > 1 && group.hasQuantifier) return unsafe('nested quantifiers are not allowed, e.g. (a+)+');
        if (q.max === Infinity && group.hasAlternation)
          return unsafe('an alternation repeated without bound is not allowed, e.g. (a|aa)*');
        if (q.max === Infinity) unbounded += 1;
        i += q.length;
      }
      parent.hasQuantifier ||= group.hasQuantifier || !!q;
      parent.hasAlternation ||= group.hasAlternation;
      if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) break;
      continue;
    } else if (c === '|') {
      top.hasAlternation = true;
      i += 1;
      continue;
    } else {
      i += 1;
    }
    // After an atom: an optional quantifier applies to it.
    const q = quantifierAt(pattern, i);
    if (q) {
      stack[stack.length - 1].hasQuantifier = true;
      if (q.max === Infinity) unbounded += 1;
      i += q.length;
    }
    if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) break;
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS)
    return unsafe(`at most ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,}) are allowed`);
  return { ok: true, regex };
}

/** Runs a checked pattern on the bounded start of a message. */
export function matchesRegex(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text.slice(0, MAX_REGEX_INPUT));
}
