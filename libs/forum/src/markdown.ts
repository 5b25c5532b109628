/**
 * A small Markdown subset rendered to HTML that is safe by construction: every character of the source is
 * HTML-escaped first, and the only tags added are a fixed list without attributes, except links, whose URL
 * must be http(s) or mailto and is escaped into a quoted attribute.
 */
const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s]+$/i;

/**
 * `@handle`: letters, digits, `_`, `.` and `-`, after the start, a space or an opening bracket (so an e-mail
 * address or a URL path is not one), without trailing `.`/`-`/`_`. Escaping leaves these characters as they are.
 */
const MENTION = /(^|[\s([{*])@([\p{L}\p{N}][\p{L}\p{N}_.-]{0,63})/gu;
const trimHandle = (handle: string) => handle.replace(/[._-]+$/, '');

/** A handle as compared with display names: lower-case letters and digits only ("Anna_Martin" → "annamartin"). */
export const mentionKey = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Who each mentioned handle (by mentionKey) is, as the forum resolved it. */
export type MentionTargets = ReadonlyMap<string, { userId: string }>;

/** The handles written in a post (outside code), as mention keys, in order, without repeats. */
export function mentionedHandles(source: string): string[] {
  const withoutCode = source.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]+`/g, ' ');
  const keys = new Set<string>();
  for (const match of withoutCode.matchAll(MENTION)) {
    const key = mentionKey(trimHandle(match[2]));
    if (key.length >= 2) keys.add(key);
  }
  return [...keys];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function inlineWith(escaped: string, mentions: MentionTargets): string {
  // Code spans first, so their contents are not read as emphasis or links (a private-use character marks
  // their places; the source had those removed).
  const codes: string[] = [];
  let out = escaped.replace(/`([^`\n]+)`/g, (_, code: string) => {
    codes.push(`<code>${code}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  // Mentions of known members next, kept aside like code so that links and emphasis do not cut into them.
  const marks: string[] = [];
  if (mentions.size) {
    out = out.replace(MENTION, (whole, before: string, raw: string) => {
      const handle = trimHandle(raw);
      const target = mentions.get(mentionKey(handle));
      if (!target || !UUID.test(target.userId)) return whole;
      marks.push(`<span class="mention" data-user-id="${target.userId}">@${handle}</span>`);
      return `${before}\uE001${marks.length - 1}\uE001${raw.slice(handle.length)}`;
    });
  }
  out = out
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
      // The URL was escaped with the rest: undo only &amp; to test the scheme, never trust it raw.
      const raw = url.replace(/&amp;/g, '&');
      return SAFE_URL.test(raw) ? `<a href="${url}" rel="nofollow noopener noreferrer">${label}</a>` : whole;
    })
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<em>$2</em>');
  return out
    .replace(/\uE001(\d+)\uE001/g, (_, i: string) => marks[Number(i)])
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => codes[Number(i)]);
}

/** `mentions`: the members `@handle`s name, rendered as mention spans (an unknown handle stays text). */
export function renderMarkdown(source: string, mentions: MentionTargets = new Map()): string {
  const inline = (escaped: string) => inlineWith(escaped, mentions);
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const html: string[] = [];
  for (const block of blocks) {
    const text = block.replace(/[\uE000\uE001]/g, '').trim();
    if (!text) continue;
    const lines = text.split('\n');
    if (text.startsWith('```') && text.endsWith('```') && text.length >= 6) {
      html.push(`<pre><code>${escapeHtml(text.slice(3, -3).replace(/^[^\n]*\n/, ''))}</code></pre>`);
    } else if (lines.every((l) => /^[-*] /.test(l))) {
      html.push(`<ul>${lines.map((l) => `<li>${inline(escapeHtml(l.slice(2)))}</li>`).join('')}</ul>`);
    } else if (/^#{1,3} /.test(text) && lines.length === 1) {
      const level = text.indexOf(' ');
      html.push(`<h${level + 2}>${inline(escapeHtml(text.slice(level + 1)))}</h${level + 2}>`);
    } else if (lines.every((l) => l.startsWith('> '))) {
      html.push(`<blockquote>${lines.map((l) => inline(escapeHtml(l.slice(2)))).join('<br>')}</blockquote>`);
    } else {
      html.push(`<p>${lines.map((l) => inline(escapeHtml(l))).join('<br>')}</p>`);
    }
  }
  return html.join('\n');
}
