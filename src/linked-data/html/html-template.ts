/** Markup that is already escaped or built by the `html` tag, and so is inserted as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** A value a template may interpolate: text is escaped, SafeHtml is kept, absent values print nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * Tag for HTML templates that escapes every interpolated value unless it is
 * SafeHtml, so harvested text (a device named `<script>`) is always shown
 * as text and never becomes markup.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    markup += render(values[index]) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(markup);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (value instanceof SafeHtml) {
    return value.markup;
  }
  if (Array.isArray(value)) {
    return value.map((item: HtmlValue) => render(item)).join('');
  }
  return escapeHtml(String(value));
}

/**
 * Serialize JSON for a `<script type="application/ld+json">` element. `<`,
 * `>` and `&` become JSON escapes, so no `</script>` or `<!--` in the data
 * can end the element early. The JSON value is unchanged.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeHtml(json);
}

/** Link a URL with a web scheme, and show other URLs (mqtt:, opc.tcp:) as code. */
export function urlLink(url: string): SafeHtml {
  if (/^https?:\/\//i.test(url)) {
    return html`<a href="${url}">${url}</a>`;
  }
  return html`<code>${url}</code>`;
}

/** Link the text to a URL with a web scheme, else show the text alone, so no `javascript:` URL becomes a link. */
export function webLink(url: string | null, text: string): SafeHtml {
  if (url !== null && /^https?:\/\//i.test(url)) {
    return html`<a href="${url}">${text}</a>`;
  }
  return html`${text}`;
}
