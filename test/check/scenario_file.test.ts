/** The scenario format: published schema in sync with the zod definition, every shipped example valid, bad files one-line InputErrors. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/check/scenario_file.js';
import { scenarioJsonSchema } from '../../src/check/scenario_schema.js';
import { InputError } from '../../src/input_error.js';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'acktrace-scenario-'));

describe('scenario files', () => {
  it('schema/scenario.schema.json equals the schema generated from the zod definition', () => {
    // Regenerate after changing scenario_schema.ts: npm run build, then write JSON.stringify(scenarioJsonSchema(), null, 2) + "\n" to the file.
    const committed = JSON.parse(readFileSync(resolve(root, 'schema/scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  const examples = readdirSync(resolve(root, 'fixtures/scenarios')).filter((f) => f.endsWith('.json'));
  it('ships an example for each seed protocol', () => {
    const dissectors = examples.map((f) => JSON.parse(readFileSync(resolve(root, 'fixtures/scenarios', f), 'utf8')).dissector);
    expect(new Set(dissectors)).toEqual(new Set(['sock352', 'csee4119-tcp', 'ariel-package']));
  });
  for (const f of examples) {
    it(`${f} loads, with its policy and what was sent`, () => {
      const sc = loadScenario(resolve(root, 'fixtures/scenarios', f));
      expect(sc.policy).toMatch(/go-back-n|tcp-like|package-threshold/);
      expect(sc.sent?.length).toBeGreaterThan(0);
      expect(sc.sent?.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('takes defaults from the dissector policy', () => {
    const f = join(dir, 'min.json');
    writeFileSync(f, JSON.stringify({ dissector: 'sock352' }));
    const sc = loadScenario(f);
    expect([sc.policy, sc.window, sc.timeout]).toEqual(['go-back-n', 20, 0.2]);
  });

  it('hashes sent.file relative to the scenario', () => {
    writeFileSync(join(dir, 'payload.bin'), 'hello');
    const f = join(dir, 'with-file.json');
    writeFileSync(f, JSON.stringify({ dissector: 'sock352', sent: { file: 'payload.bin' } }));
    expect(loadScenario(f).sent?.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  for (const [name, body, message] of [
    ['not-json', '{', /not JSON/],
    ['unknown-key', JSON.stringify({ dissector: 'sock352', windw: 3 }), /unrecognized key/i],
    ['bad-policy', JSON.stringify({ dissector: 'sock352', policy: 'gbn' }), /^.*policy:/],
    ['bad-drop', JSON.stringify({ dissector: 'sock352', impairments: { data: { seq: [-1] } } }), /impairments\.data\.seq\[0\]/],
    ['no-dissector', JSON.stringify({ dissector: 'nope' }), /no such dissector/],
    ['missing-file', JSON.stringify({ dissector: 'sock352', sent: { file: 'absent.bin' } }), /sent\.file: cannot read/],
  ] as const) {
    it(`rejects ${name} with one InputError line`, () => {
      const f = join(dir, `${name}.json`);
      writeFileSync(f, body);
      let err: unknown;
      try { loadScenario(f); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});
