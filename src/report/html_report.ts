/**
 * Writes a ReportModel as one self-contained HTML file: inline CSS and inline SVG, no scripts,
 * no fonts or images fetched, so it opens offline and can be mailed or attached as is.
 */
import type { Figure } from './figure.js';
import type { ReportModel } from './report_model.js';
import type { Cell, TableData } from './table_format.js';
import { xmlEscape } from './svg_writer.js';

const CSS = `
body{font-family:'DejaVu Sans','Helvetica Neue',Arial,sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px;background:#fff}
h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;margin:32px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 8px}dl.facts dt{font-weight:bold;color:#555}dl.facts dd{margin:0}
.verdict{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:bold;color:#fff}
.verdict.PASS{background:#1a7f37}.verdict.FAIL{background:#cf222e}.verdict.ERROR{background:#9a6700}
table{border-collapse:collapse;font-size:12.5px;margin:8px 0 4px}th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.v-PASS{color:#1a7f37;font-weight:bold}td.v-FAIL{color:#cf222e;font-weight:bold}td.v-NA{color:#777}
tr.skip td{color:#777;font-style:italic;background:#fafafa}tr.drop td{color:#cc0033}tr.flagged td{background:#fff8f0}
.scroll{overflow-x:auto}
figure{margin:16px 0 28px}figure svg{width:100%;max-width:1000px;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:12.5px;color:#555;margin-top:4px}
ul.notes{font-size:13px;color:#555}footer{margin-top:40px;font-size:12px;color:#777}
`;

function cell(c: Cell): string {
  return c === null || c === undefined ? '' : xmlEscape(String(c));
}

/**
 * An HTML table with the same columns as the other formats.
 *
 * @example htmlTable({ columns: ['a'], rows: [[1]] }, 'connections')
 */
export function htmlTable(t: TableData, cls: string): string {
  const head = `<tr>${t.columns.map((c) => `<th>${cell(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => {
    const first = String(r[0] ?? '');
    const rowCls = first === '…' ? 'skip' : first === '' && String(r[2] ?? '').includes('✗') ? 'drop' : cls === 'timeline' && String(r[9] ?? '') ? 'flagged' : '';
    const tds = r.map((c, i) => {
      const v = String(c ?? '');
      const k = t.numeric?.includes(i) ? 'num' : cls === 'verdicts' && i === 2 ? `v-${v.replace('/', '')}` : '';
      return `<td${k ? ` class="${k}"` : ''}>${cell(c)}</td>`;
    }).join('');
    return `<tr${rowCls ? ` class="${rowCls}"` : ''}>${tds}</tr>`;
  }).join('\n');
  return `<div class="scroll"><table class="${cls}" data-rows="${t.rows.length}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function figureHtml(f: Figure): string {
  const data = Object.entries(f.counts).map(([k, v]) => ` data-${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}="${v}"`).join('');
  // The SVG carries its own caption (so it stands alone when pasted); no second one here.
  return `<figure class="figure" data-kind="${f.kind}"${data}>\n${f.svg.trim()}\n</figure>`;
}

/**
 * @example writeFileSync('report.html', htmlReport(buildReport(trace, view)))
 */
export function htmlReport(m: ReportModel): string {
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${xmlEscape(m.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body><main>',
    `<h1>${xmlEscape(m.title)}</h1>`,
    `<dl class="facts">${m.facts.map(([k, v]) => `<dt>${xmlEscape(k)}</dt><dd>${xmlEscape(v)}</dd>`).join('')}</dl>`,
  ];
  if (m.verdict) {
    parts.push(`<h2>Scenario verdict <span class="verdict ${m.verdictOutcome}">${m.verdictOutcome}</span></h2>`);
    parts.push(htmlTable(m.verdict, 'verdicts'));
  }
  parts.push('<h2>Connections</h2>', htmlTable(m.overview, 'overview'), htmlTable(m.connections, 'connections'));
  parts.push('<h2>Figures</h2>', ...m.figures.map(figureHtml));
  parts.push(`<h2>${xmlEscape(m.timeline.title ?? 'Timeline')}</h2>`, htmlTable(m.timeline, 'timeline'));
  if (m.notes.length) parts.push('<h2>Notes</h2>', `<ul class="notes">${m.notes.map((n) => `<li>${xmlEscape(n)}</li>`).join('')}</ul>`);
  parts.push('<footer>Made by acktrace. Frame numbers match Wireshark\'s; times are seconds since the capture\'s first frame.</footer>', '</main></body></html>', '');
  return parts.join('\n');
}
