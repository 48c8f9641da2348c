/**
 * `acktrace dissector list|show|new`: what dissectors there are, what a header looks like
 * byte by byte, and a scaffold for a user's own protocol from a Python struct string.
 */
import type { Command } from 'commander';
import type { Dissector } from '../codec/dissector.js';
import { scaffoldDissector } from '../codec/dissector_scaffold.js';
import { dissectorJsonSchema } from '../codec/dissector_schema.js';
import { renderTable, TABLE_FORMATS } from '../report/table_format.js';
import { action, UsageError } from './cli_errors.js';
import { collectPorts, collectStrings, registryFrom, tableFormatFrom } from './cli_options.js';
import { registerDissectorLua } from './dissector_lua_command.js';


function describeLayout(d: Dissector): string[][] {
  return d.layout().fields.map((f) => {
    const extra = [
      ...f.flags.map(([n, m]) => `${n}=0x${m.toString(16)}`),
      ...(f.enumNames ? Object.entries(f.enumNames).map(([v, n]) => (v === n ? n : `${v}=${n}`)) : []),
    ].join(' ');
    const size = f.type === 'bits' ? `${f.bitWidth} bit` : String(f.size);
    const order = f.size > 1 && !['string', 'bytes', 'bits'].includes(f.type) ? f.byteOrder : '';
    return [String(f.offset), size, f.type, order, f.name, extra];
  });
}

export function registerDissector(program: Command): void {
  const cmd = program.command('dissector').description('list, describe and scaffold dissector files');
  const common = (c: Command) => c.option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings);

  common(cmd.command('list')
    .description('every dissector found (shipped, $ACKTRACE_DISSECTORS, --dissectors)')
    .option('--format <fmt>', `output format: ${TABLE_FORMATS.join('|')}`, 'table')
    .option('--json', 'JSON output')
    .addHelpText('after', '\nExample:\n  $ acktrace dissector list --dissectors ./my-dissectors'))
    .action(action((o: { format: string; json?: boolean; dissectors?: string[] }) => {
      const rows = registryFrom(o).list().map((d) => [
        d.name, d.def.binding.transport, d.def.binding.ports.join(',') || '-', d.def.binding.framing, d.headerSize(), d.def.title ?? '', d.source,
      ]);
      process.stdout.write(renderTable({ columns: ['name', 'transport', 'ports', 'framing', 'header bytes', 'title', 'file'], rows, numeric: [4] }, tableFormatFrom(o)));
    }));

  common(cmd.command('show')
    .description('the header layout, roles and semantics of one dissector')
    .argument('<name|file>')
    .option('--format <fmt>', `output format: ${TABLE_FORMATS.join('|')}`, 'table')
    .option('--json', 'the resolved dissector definition as JSON (extends merged, defaults filled)')
    .addHelpText('after', '\nExamples:\n  $ acktrace dissector show ariel-package\n  $ acktrace dissector show ./mine.json --json'))
    .action(action((name: string, o: { format: string; json?: boolean; dissectors?: string[] }) => {
      const d = registryFrom(o).get(name);
      if (o.json) { process.stdout.write(JSON.stringify(d.def, null, 2) + '\n'); return; }
      const format = tableFormatFrom(o);
      const out: string[] = [];
      out.push(renderTable({ title: `${d.name}: ${d.def.title ?? ''} (${d.headerSize()} bytes, from ${d.source})`, columns: ['offset', 'size', 'type', 'order', 'field', 'flags / values'], rows: describeLayout(d), numeric: [0, 1] }, format));
      const r = d.def.roles;
      const roleText = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
      const s = d.def.semantics;
      out.push(renderTable({
        title: 'roles and semantics',
        columns: ['property', 'value'],
        rows: [
          ['seq', roleText(r.seq)], ['ack', roleText(r.ack)], ['window', roleText(r.window)], ['payload length', roleText(r.payloadLength) || 'rest of the datagram'],
          ['kind', roleText(r.kind)], ['sequence unit', s.seqUnit], ['ack meaning', s.ackMeaning], ['seq bits', String(d.seqBits)],
          ['syn / fin / rst / ack / data', [s.syn, s.fin, s.rst, s.ack, s.data].map((m) => roleText(m) || '-').join(' / ')],
          ['checksum', `${d.def.checksum.algorithm}${d.def.checksum.field ? ` in ${d.def.checksum.field}` : ''} over ${d.def.checksum.coverage}`],
          ['binding', `${d.def.binding.transport} ports ${d.def.binding.ports.join(',') || '(none: use --port)'}, ${d.def.binding.framing}`],
          ['parameters', Object.entries(d.def.params).map(([k, p]) => `${k}=${p.default}${p.learn ? ' (learned)' : ''}`).join(', ') || '-'],
          ['policy', JSON.stringify(d.def.policy)],
        ],
      }, format));
      process.stdout.write(out.join('\n'));
    }));

  cmd.command('schema')
    .description('print the JSON Schema of dissector files (for editors: "$schema" in your file)')
    .addHelpText('after', '\nExample:\n  $ acktrace dissector schema > dissector.schema.json')
    .action(action(() => { process.stdout.write(JSON.stringify(dissectorJsonSchema(), null, 2) + '\n'); }));

  cmd.command('new')
    .description('scaffold a dissector file from a Python struct format and field names (printed to stdout)')
    .requiredOption('--struct <format>', "Python struct format, e.g. '!BBBBHHLLQQLL'")
    .requiredOption('--fields <names>', 'comma-separated field names, one per struct item')
    .option('--name <name>', 'dissector name', 'mine')
    .option('--transport <udp|tcp>', 'what it rides on', 'udp')
    .option('--port <n>', 'default port (repeatable)', collectPorts)
    .addHelpText('after', "\nExample:\n  $ acktrace dissector new --struct '!BBBBHHLLQQLL' --fields version,flags,opt_ptr,protocol,header_len,checksum,source_port,dest_port,sequence_no,ack_no,window,payload_len > mine.json")
    .action(action((o: { struct: string; fields: string; name: string; transport: string; port?: number[] }) => {
      if (o.transport !== 'udp' && o.transport !== 'tcp') throw new UsageError('--transport: udp or tcp');
      const spec = scaffoldDissector({ name: o.name, struct: o.struct, fields: o.fields.split(',').map((s) => s.trim()).filter(Boolean), transport: o.transport, ports: o.port ?? [] });
      process.stdout.write(JSON.stringify(spec, null, 2) + '\n');
    }));

  registerDissectorLua(cmd); // `dissector lua`: Wireshark plugin generator (src/lua/)
}
