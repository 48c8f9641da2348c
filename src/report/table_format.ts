/**
 * One table, four renderings with the same columns: a terminal table (cli-table3), Markdown,
 * CSV (RFC 4180 quoting) and JSON (an array of objects keyed by column). Every table acktrace
 * prints goes through here, so `--format` means the same everywhere.
 */
import Table from 'cli-table3';

export type TableFormat = 'table' | 'md' | 'csv' | 'json';
export const TABLE_FORMATS: TableFormat[] = ['table', 'md', 'csv', 'json'];

export type Cell = string | number | boolean | null | undefined;

export interface TableData {
  title?: string;
  columns: string[];
  rows: Cell[][];
  /** Column indexes to right-align in terminal and Markdown output (numbers). */
  numeric?: number[];
}

function text(c: Cell): string {
  return c === null || c === undefined ? '' : String(c);
}

/** Quotes a CSV field when it holds a comma, quote or line break. */
export function csvField(c: Cell): string {
  const s = text(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function markdown(t: TableData): string {
  const esc = (c: Cell) => text(c).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  const align = t.columns.map((_, i) => (t.numeric?.includes(i) ? '---:' : '---'));
  const lines = [
    ...(t.title ? [`**${t.title}**`, ''] : []),
    `| ${t.columns.map(esc).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

function terminal(t: TableData): string {
  const table = new Table({
    head: t.columns,
    style: { head: process.stdout.isTTY && !process.env.NO_COLOR ? ['cyan'] : [], border: process.stdout.isTTY && !process.env.NO_COLOR ? ['grey'] : [] },
    colAligns: t.columns.map((_, i) => (t.numeric?.includes(i) ? 'right' : 'left')),
  });
  for (const r of t.rows) table.push(r.map(text));
  return (t.title ? `${t.title}\n` : '') + table.toString() + '\n';
}

/**
 * Renders a table in the chosen format.
 *
 * @example renderTable({ columns: ['frame', 'flags'], rows: [[1, 'SYN']] }, 'md')
 */
export function renderTable(t: TableData, format: TableFormat): string {
  switch (format) {
    case 'table': return terminal(t);
    case 'md': return markdown(t);
    case 'csv': return [t.columns, ...t.rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
    case 'json': return JSON.stringify(t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null]))), null, 2) + '\n';
  }
}
