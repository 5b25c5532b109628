import { mentionedHandles, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders the supported subset', () => {
    expect(
      renderMarkdown(
        '# Title\n\nSome **bold** and *em* and `a<b`\n\n- one\n- [two](https://example.invalid/x?a=1&b=2)',
      ),
    ).toBe(
      '<h3>Title</h3>\n<p>Some <strong>bold</strong> and <em>em</em> and <code>a&lt;b</code></p>\n' +
        '<ul><li>one</li><li><a href="https://example.invalid/x?a=1&amp;b=2" rel="nofollow noopener noreferrer">two</a></li></ul>',
    );
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](https://a.invalid/"onmouseover="alert(1))',
    '<svg/onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '"><iframe src=javascript:alert(1)>',
    '```\n</code><script>alert(1)</script>\n```',
  ])('leaves nothing executable in %s', (payload) => {
    const html = renderMarkdown(payload);
    expect(html).not.toMatch(/<(script|img|svg|iframe)/i);
    // Text may read "onerror=", but no tag carries an event handler.
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
  });
});

describe('mentions', () => {
  const anna = '0b6f1a64-8a4e-4c1e-9d5e-3c7a2b1f0e11';
  const mentions = new Map([['annamartin', { userId: anna }]]);

  it('finds the handles outside code, as keys, once each', () => {
    expect(
      mentionedHandles('Hi @Anna_Martin, @anna.martin. and @Élodie! `@code` mail bob@x.invalid\n\n```\n@fenced\n```'),
    ).toEqual(['annamartin', 'élodie']);
  });

  it('renders a known member as a mention span, an unknown handle or an address as text', () => {
    expect(renderMarkdown('Thanks **@Anna_Martin**, and @nobody. Mail anna@x.invalid', mentions)).toBe(
      `<p>Thanks <strong><span class="mention" data-user-id="${anna}">@Anna_Martin</span></strong>, and @nobody. ` +
        'Mail anna@x.invalid</p>',
    );
    expect(renderMarkdown('[@anna.martin](https://example.invalid/@annamartin).', mentions)).toBe(
      `<p><a href="https://example.invalid/@annamartin" rel="nofollow noopener noreferrer">` +
        `<span class="mention" data-user-id="${anna}">@anna.martin</span></a>.</p>`,
    );
    expect(renderMarkdown('`@Anna_Martin`', mentions)).toBe('<p><code>@Anna_Martin</code></p>');
  });

  it('leaves nothing executable around a mention', () => {
    const html = renderMarkdown('@Anna_Martin<img src=x onerror=alert(1)> "@annamartin"onclick=x', mentions);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
  });
});
