/**
 * `acktrace dissector lua <name|file> [-o plugin.lua]`: a Wireshark Lua plugin generated from
 * a dissector file, so Wireshark shows the header acktrace decodes.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LuaGenerationError, luaDissector } from '../lua/lua_dissector.js';
import { action, UsageError } from './cli_errors.js';
import { collectStrings, registryFrom } from './cli_options.js';

/** Adds the `lua` subcommand to the `dissector` command. */
export function registerDissectorLua(dissector: Command): void {
  dissector.command('lua')
    .description('generate a Wireshark Lua dissector plugin from a dissector (stdout, or -o FILE)')
    .argument('<name|file>')
    .option('-o, --output <file>', 'write the plugin to FILE instead of stdout')
    .option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings)
    .addHelpText('after', `
Examples:
  $ acktrace dissector lua ariel-package -o ~/.local/lib/wireshark/plugins/ariel-package.lua
  $ acktrace dissector lua ./mine.json -o mine.lua && tshark -X lua_script:mine.lua -d udp.port==9000,mine -r run.pcap`)
    .action(action((name: string, o: { output?: string; dissectors?: string[] }) => {
      const d = registryFrom(o).get(name);
      let lua: string;
      try {
        lua = luaDissector(d);
      } catch (e) {
        if (e instanceof LuaGenerationError) throw new UsageError(`dissector lua ${name}: ${e.message}`);
        throw e;
      }
      if (!o.output) { process.stdout.write(lua); return; }
      try {
        writeFileSync(o.output, lua);
      } catch (e) {
        throw new UsageError(`-o ${o.output}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }));
}
