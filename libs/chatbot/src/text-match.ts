/**
 * Text matching shared by keyword rules and the intent classifier: case- and accent-insensitive,
 * whole words only ("hi" does not match "this"; "how much" matches "How MUCH is it?").
 */

/** Lower-case, accents removed (NFD then combining marks dropped), whitespace runs collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One whole-word regex for a list of keywords (folded, escaped: user keywords are never regex). */
export function keywordRegex(keywords: readonly string[]): RegExp | null {
  const words = [...new Set(keywords.map(foldText).filter(Boolean))];
  if (!words.length) return null;
  // Longest first so a phrase wins over its first word; lookarounds make the boundaries Unicode-aware.
  words.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegex).join('|')})(?![\\p{L}\\p{N}_])`, 'u');
}

/** True when the text contains any of the keywords as a whole word or phrase. */
export function matchesKeywords(text: string, keywords: readonly string[]): boolean {
  return keywordRegex(keywords)?.test(foldText(text)) ?? false;
}
