/** An element of a parsed document. */
export interface MarkupElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: MarkupElement[];
  text: string;
}

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
const TOKEN = /<!DOCTYPE[^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;

/**
 * Parses the markup the report generates (HTML with inline SVG, every attribute double-quoted) into
 * a tree, and throws on anything malformed: a stray `<`, an unclosed or mis-nested element. Strict
 * on purpose: a report that needs a forgiving parser is a broken report.
 */
export function parseMarkup(source: string): MarkupElement {
  const root: MarkupElement = { tag: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`malformed markup at offset ${at}: ${JSON.stringify(source.slice(at, at + 60))}`);
    const [, close, open, attrs, selfClosing, text] = m;
    const top = stack.at(-1)!;
    if (text !== undefined) top.text += decode(text);
    else if (close !== undefined) {
      if (top.tag !== close) throw new Error(`</${close}> at offset ${at} closes <${top.tag}>`);
      stack.pop();
    } else if (open !== undefined) {
      const attributes = Object.fromEntries([...(attrs ?? '').matchAll(ATTRIBUTE)].map(([, k, v]) => [k!, decode(v!)]));
      const node: MarkupElement = { tag: open, attributes, children: [], text: '' };
      top.children.push(node);
      if (!selfClosing && !VOID.has(open)) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.tag}>`);
  return root;
}

/** Every element below `node` (depth first) that satisfies `match`. */
export function findAll(node: MarkupElement, match: (e: MarkupElement) => boolean): MarkupElement[] {
  return node.children.flatMap((child) => [...(match(child) ? [child] : []), ...findAll(child, match)]);
}

/** Whether an element carries a class. */
export function hasClass(e: MarkupElement, name: string): boolean {
  return (e.attributes.class ?? '').split(/\s+/).includes(name);
}

/** The text of an element and its descendants. */
export function textOf(e: MarkupElement): string {
  return e.text + e.children.map(textOf).join('');
}

function decode(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
