/**
 * A minimal SVG document writer for acktrace's figures. Every number goes through one fixed
 * formatter and elements are written in call order, so the same figure data always yields the
 * same bytes (golden tests and `git diff` of committed figures depend on it). No ids, no
 * timestamps, no randomness; the style sheet is inline so the file stands alone.
 */

/** The palette (Okabe–Ito, readable by colour-blind readers and in greyscale print). */
export const COLORS = {
  ink: '#222222',
  grid: '#e4e4e4',
  axis: '#555555',
  data: '#0072B2',
  retransmission: '#D55E00',
  ack: '#009E73',
  window: '#E69F00',
  drop: '#CC0033',
  timeout: '#6f42c1',
  gap: '#CC79A7',
  muted: '#888888',
} as const;

/**
 * Formats a coordinate or length: at most two decimals, no trailing zeros, never "-0".
 *
 * @example num(12.3456) // "12.35"
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

/**
 * Escapes text for SVG/XML content and attribute values.
 *
 * @example xmlEscape('a < b & "c"') // "a &lt; b &amp; &quot;c&quot;"
 */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : xmlEscape(v)}"`;
  }
  return out;
}

const STYLE = [
  "text{font-family:'DejaVu Sans','Helvetica Neue',Arial,sans-serif;fill:#222222}",
  '.title{font-size:15px;font-weight:bold}',
  '.caption{font-size:11px;fill:#555555}',
  '.axis-label{font-size:12px}',
  '.tick{font-size:10.5px;fill:#444444}',
  '.legend{font-size:11px}',
  '.label{font-size:10.5px}',
  '.note{font-size:10px;fill:#555555}',
  '.mono{font-family:\'DejaVu Sans Mono\',Menlo,Consolas,monospace}',
].join('');

/**
 * Collects elements and renders a standalone SVG document.
 *
 * @example
 * const w = new SvgWriter(400, 300, 'Ladder diagram');
 * w.line(10, 10, 100, 10, { stroke: COLORS.ink });
 * writeFileSync('f.svg', w.toString());
 */
export class SvgWriter {
  private readonly parts: string[] = [];

  constructor(readonly width: number, readonly height: number, private readonly title: string, private readonly kind = 'figure') {}

  raw(s: string): void {
    this.parts.push(s);
  }

  open(tag: string, a: Attrs = {}): void {
    this.parts.push(`<${tag}${attrs(a)}>`);
  }

  close(tag: string): void {
    this.parts.push(`</${tag}>`);
  }

  el(tag: string, a: Attrs): void {
    this.parts.push(`<${tag}${attrs(a)}/>`);
  }

  line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): void {
    this.el('line', { x1, y1, x2, y2, ...a });
  }

  rect(x: number, y: number, width: number, height: number, a: Attrs = {}): void {
    this.el('rect', { x, y, width, height, ...a });
  }

  circle(cx: number, cy: number, r: number, a: Attrs = {}): void {
    this.el('circle', { cx, cy, r, ...a });
  }

  /** A polyline through points given as [x, y] pairs. */
  polyline(points: Array<[number, number]>, a: Attrs = {}): void {
    if (points.length === 0) return;
    this.el('polyline', { points: points.map(([x, y]) => `${num(x)},${num(y)}`).join(' '), fill: 'none', ...a });
  }

  path(d: string, a: Attrs = {}): void {
    this.el('path', { d, ...a });
  }

  text(x: number, y: number, s: string, a: Attrs = {}): void {
    this.parts.push(`<text${attrs({ x, y, ...a })}>${xmlEscape(s)}</text>`);
  }

  /** An "×" centred on (x, y): how every figure marks a segment that was lost. */
  cross(x: number, y: number, size: number, color: string, cls?: string): void {
    const s = size / 2;
    this.path(`M${num(x - s)} ${num(y - s)}L${num(x + s)} ${num(y + s)}M${num(x - s)} ${num(y + s)}L${num(x + s)} ${num(y - s)}`,
      { stroke: color, 'stroke-width': 2.2, fill: 'none', 'stroke-linecap': 'round', class: cls });
  }

  toString(): string {
    const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${num(this.width)}" height="${num(this.height)}" viewBox="0 0 ${num(this.width)} ${num(this.height)}" role="img" class="acktrace-${xmlEscape(this.kind)}">`;
    return [
      head,
      `<title>${xmlEscape(this.title)}</title>`,
      `<style>${STYLE}</style>`,
      `<rect x="0" y="0" width="${num(this.width)}" height="${num(this.height)}" fill="#ffffff"/>`,
      ...this.parts,
      '</svg>',
      '',
    ].join('\n');
  }
}
