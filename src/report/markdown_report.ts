/**
 * Writes a ReportModel as Markdown: tables inline, figures as SVG files beside the report
 * (Markdown cannot hold SVG inline portably), referenced by relative path.
 */
import type { ReportModel } from './report_model.js';
import { renderTable } from './table_format.js';

export interface MarkdownReport {
  text: string;
  /** Figure files to write beside the report: relative name → SVG. */
  files: Array<{ name: string; svg: string }>;
}

/**
 * @example
 * const md = markdownReport(model, 'report');
 * writeFileSync('report.md', md.text); for (const f of md.files) writeFileSync(f.name, f.svg);
 */
export function markdownReport(m: ReportModel, stem: string): MarkdownReport {
  const files = m.figures.map((f) => ({ name: `${stem}-${f.kind}.svg`, svg: f.svg }));
  const out: string[] = [`# ${m.title}`, '', ...m.facts.map(([k, v]) => `- **${k}**: ${v}`), ''];
  if (m.verdict) out.push(`## Scenario verdict: ${m.verdictOutcome}`, '', renderTable({ ...m.verdict, title: undefined }, 'md'));
  out.push('## Connections', '', renderTable({ ...m.overview, title: undefined }, 'md'), renderTable({ ...m.connections, title: undefined }, 'md'));
  out.push('## Figures', '');
  m.figures.forEach((f, i) => out.push(`![${f.title}](${files[i].name})`, '', `*${f.caption.join(' ')}*`, ''));
  out.push(`## ${m.timeline.title ?? 'Timeline'}`, '', renderTable({ ...m.timeline, title: undefined }, 'md'));
  if (m.notes.length) out.push('## Notes', '', ...m.notes.map((n) => `- ${n}`), '');
  return { text: out.join('\n'), files };
}
