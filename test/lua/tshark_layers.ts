/**
 * tshark as the oracle for generated plugins: every frame's layer of one protocol, flattened
 * to filter name → value, and the Info column.
 */
import { execFileSync } from 'node:child_process';

type JsonTree = { [k: string]: string | JsonTree | Array<string | JsonTree> };

function flatten(o: JsonTree, out: Map<string, string>): Map<string, string> {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(k, v);
    else if (!Array.isArray(v)) flatten(v, out);
    else out.set(k, JSON.stringify(v)); // a repeated field: never expected, so it shows in a diff
  }
  return out;
}

/** Frame number → the protocol's layer instances (one per record) in that frame, flattened. */
export function tsharkLayers(lua: string, capture: string, proto: string, extra: string[] = []): Map<number, Array<Map<string, string>>> {
  const out = execFileSync('tshark', ['-X', `lua_script:${lua}`, '-r', capture, '-T', 'json', '--no-duplicate-keys', ...extra], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: 60_000,
  });
  // A Lua runtime error is shown inside the tree, not as a failure: make it one.
  const luaError = /Lua Error[^"]*/.exec(out);
  if (luaError) throw new Error(`tshark: ${luaError[0]}`);
  const packets = JSON.parse(out) as Array<{ _source: { layers: JsonTree } }>;
  const frames = new Map<number, Array<Map<string, string>>>();
  for (const p of packets) {
    const layers = p._source.layers;
    const n = Number((layers.frame as JsonTree)['frame.number']);
    const l = layers[proto];
    if (l === undefined) continue;
    const list = Array.isArray(l) ? l : [l];
    frames.set(n, list.map((x) => flatten(x as JsonTree, new Map())));
  }
  return frames;
}

/** Frame number → Info column text, with the plugin loaded. */
export function tsharkInfo(lua: string, capture: string, extra: string[] = []): Map<number, string> {
  const out = execFileSync('tshark', ['-X', `lua_script:${lua}`, '-r', capture, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info', ...extra], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: 60_000,
  });
  const m = new Map<number, string>();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) m.set(Number(line.slice(0, tab)), line.slice(tab + 1));
  }
  return m;
}

/** tshark's stderr when loading a plugin: Lua errors show up here, not in the exit status. */
export function tsharkLoadErrors(lua: string, capture: string, extra: string[] = []): string[] {
  try {
    execFileSync('tshark', ['-X', `lua_script:${lua}`, '-r', capture, '-c', '1', ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    return [];
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e).split('\n').filter((l) => l.trim() && !/Running as user/.test(l));
  }
}
