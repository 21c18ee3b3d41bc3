/** A typed link (RFC 8288): a target, its relation to the context, and optionally its media type and profile. */
export interface TypedLink {
  href: string;
  rel: string;
  /** Media type of the target, a hint for clients. */
  type?: string;
  /** Profile the target conforms to (RFC 6906). */
  profile?: string;
}

/** The links that share one context (anchor), one entry of a link set (RFC 9264). */
export interface LinkContext {
  anchor: string;
  links: TypedLink[];
}

/** Format links as the value of an HTTP `Link` header (RFC 8288, section 3). */
export function linkHeaderValue(links: readonly TypedLink[]): string {
  return links.map((link) => formatLink(link)).join(', ');
}

/**
 * Serialise a link set in the native format `application/linkset` (RFC
 * 9264, section 4.1): the `Link` header syntax with an explicit anchor on
 * every link, one link a line.
 */
export function linksetText(contexts: readonly LinkContext[]): string {
  const lines = contexts.flatMap((context) =>
    context.links.map((link) => formatLink(link, context.anchor)),
  );
  return `${lines.join(',\n')}\n`;
}

/** A link set in the JSON format `application/linkset+json` (RFC 9264, section 4.2). */
export type LinksetDocument = {
  linkset: Array<Record<string, string | Array<Record<string, string>>>>;
};

/**
 * Build the JSON link set (RFC 9264, section 4.2): one object per context
 * with its anchor and, per relation type, the array of target objects.
 */
export function linksetJson(contexts: readonly LinkContext[]): LinksetDocument {
  return {
    linkset: contexts.map((context) => {
      const entry: Record<string, string | Array<Record<string, string>>> = {
        anchor: context.anchor,
      };
      for (const link of context.links) {
        const targets = (entry[link.rel] as Array<Record<string, string>> | undefined) ?? [];
        targets.push(targetObject(link));
        entry[link.rel] = targets;
      }
      return entry;
    }),
  };
}

function targetObject(link: TypedLink): Record<string, string> {
  const target: Record<string, string> = { href: link.href };
  if (link.type !== undefined) {
    target.type = link.type;
  }
  if (link.profile !== undefined) {
    target.profile = link.profile;
  }
  return target;
}

function formatLink(link: TypedLink, anchor?: string): string {
  let text = `<${escapeTarget(link.href)}>`;
  if (anchor !== undefined) {
    text += `; anchor="${quoted(anchor)}"`;
  }
  text += `; rel="${quoted(link.rel)}"`;
  if (link.type !== undefined) {
    text += `; type="${quoted(link.type)}"`;
  }
  if (link.profile !== undefined) {
    text += `; profile="${quoted(link.profile)}"`;
  }
  return text;
}

/** Keep a target inside its angle brackets: `>` would end it, and header values allow no line breaks. */
function escapeTarget(href: string): string {
  return href.replace(/[<>\s"]/g, (character) => encodeURIComponent(character));
}

/** Escape a quoted-string parameter value (RFC 9110, section 5.6.4). */
function quoted(value: string): string {
  return value.replace(/[\\"]/g, (character) => `\\${character}`).replace(/[\r\n]/g, ' ');
}
