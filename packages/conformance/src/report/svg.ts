/** Attribute values of an SVG or HTML element; `undefined` leaves the attribute out. */
export type Attributes = Record<string, string | number | undefined>;

/** Escapes text for use inside an element or a double-quoted attribute. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One element as markup. Children are markup already (from other calls), so that nesting reads
 * like the document; plain text must go through {@link escapeMarkup}.
 */
export function element(tag: string, attributes: Attributes, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeMarkup(typeof value === 'number' ? round(value) : value!)}"`)
    .join('');
  return children.length === 0 ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children.join('')}</${tag}>`;
}

/** Coordinates with two decimals at most: enough for a screen, and small files. */
function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** About `count` round tick values covering [0, max]. */
export function ticks(max: number, count: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/** Formats a number of seconds for an axis label. */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toPrecision(3))}s`;
}
