import { html, jsonForScript, SafeHtml, webLink } from './html-template';

describe('html', () => {
  it('escapes interpolated text', () => {
    const title = '<img src=x onerror="alert(1)"> & \'quotes\'';

    expect(html`<h1 title="${title}">${title}</h1>`.markup).toBe(
      '<h1 title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;</h1>',
    );
  });

  it('keeps SafeHtml and drops absent values', () => {
    expect(
      html`<p>${new SafeHtml('<b>x</b>')}${null}${undefined}${[html`<i>a</i>`, 'b<']}</p>`.markup,
    ).toBe('<p><b>x</b><i>a</i>b&lt;</p>');
  });
});

describe('jsonForScript', () => {
  it('cannot end the script element early', () => {
    const markup = jsonForScript({ name: '</script><script>alert(1)</script><!--' }).markup;

    expect(markup).not.toContain('<');
    expect(JSON.parse(markup)).toEqual({ name: '</script><script>alert(1)</script><!--' });
  });
});

describe('webLink', () => {
  it('links only web URLs', () => {
    expect(webLink('javascript:alert(1)', 'licence').markup).toBe('licence');
    expect(webLink('https://example.org/l', 'licence').markup).toBe(
      '<a href="https://example.org/l">licence</a>',
    );
  });
});
