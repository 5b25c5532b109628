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

function inline(escaped: string): string {
  // Code spans first, so their contents are not read as emphasis or links (a private-use character marks
  // their places; the source had those removed).
  const codes: string[] = [];
  let out = escaped.replace(/`([^`\n]+)`/g, (_, code: string) => {
    codes.push(`<code>${code}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  out = out
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
      // The URL was escaped with the rest: undo only &amp; to test the scheme, never trust it raw.
      const raw = url.replace(/&amp;/g, '&');
      return SAFE_URL.test(raw) ? `<a href="${url}" rel="nofollow noopener noreferrer">${label}</a>` : whole;
    })
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<em>$2</em>');
  return out.replace(/\uE000(\d+)\uE000/g, (_, i: string) => codes[Number(i)]);
}

export function renderMarkdown(source: string): string {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const html: string[] = [];
  for (const block of blocks) {
    const text = block.replace(/\uE000/g, '').trim();
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
