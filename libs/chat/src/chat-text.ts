/** Small pure helpers of the chat feature (unit-tested in chat-text.spec.ts). */

/** A file-name-safe slug: accents folded, lower case, runs of anything else as one dash, at most 60 chars. */
export function slugify(text: string, fallback = 'conversation'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** The first words of a message, as a title when the AI could not make one. */
export function fallbackTitle(message: string, words = 6): string {
  const parts = message.replace(/\s+/g, ' ').trim().split(' ');
  const head = parts.slice(0, words).join(' ');
  const title = parts.length > words ? `${head}…` : head;
  return title.slice(0, 120) || 'Nouvelle conversation';
}

/** An AI-made title cleaned up: one line, no surrounding quotes, no "Title:" label, no final period. */
export function cleanTitle(raw: string): string | null {
  const line = raw.split('\n').find((l) => l.trim()) ?? '';
  const title = line
    .trim()
    .replace(/^(titre|title)\s*:\s*/i, '')
    .replace(/^["'«“*\s]+|["'»”*\s]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim();
  return title ? title.slice(0, 120) : null;
}

/** A message's preview in lists: whitespace folded, at most 200 chars. */
export function preview(content: string, max = 200): string {
  const text = content.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Adds a tag (case-insensitive, no duplicates) keeping order; null when it would exceed `max`. */
export function withTag(tags: string[], tag: string, max: number): string[] | null {
  if (tags.includes(tag)) return tags;
  if (tags.length >= max) return null;
  return [...tags, tag];
}
