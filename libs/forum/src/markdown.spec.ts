import { renderMarkdown } from './markdown';

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
