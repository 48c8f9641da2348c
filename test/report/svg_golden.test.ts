/**
 * Golden tests: each figure of each seed run must render to exactly the committed bytes.
 * A change in output fails here; look at the new SVG, and if it is better, rewrite the goldens
 * with `UPDATE_GOLDEN=1 npx vitest run test/report/svg_golden.test.ts` and commit them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawFigure } from '../../src/report/draw_figure.js';
import { FIGURE_KINDS } from '../../src/report/figure.js';
import { SEEDS, seedView } from './seed_views.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('figures match their golden SVG', () => {
  for (const s of SEEDS) {
    for (const kind of FIGURE_KINDS) {
      it(`${kind} of ${s.name}`, () => {
        const fig = drawFigure(kind, seedView(s.name, s.dissector), { window: s.window });
        const file = path.join(GOLDEN, `${s.name}.${kind}.svg`);
        if (update || !existsSync(file)) {
          if (!update) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 to create it`);
          writeFileSync(file, fig.svg);
        }
        expect(fig.svg).toBe(readFileSync(file, 'utf8'));
      });
    }
  }

  it('the same input gives the same bytes, from pcap and pcapng alike', () => {
    for (const kind of FIGURE_KINDS) {
      const a = drawFigure(kind, seedView('sock352_gbn_drop3', 'sock352'), {}).svg;
      const b = drawFigure(kind, seedView('sock352_gbn_drop3', 'sock352'), {}).svg;
      const c = drawFigure(kind, seedView('sock352_gbn_drop3', 'sock352', 'pcapng'), {}).svg;
      expect(b).toBe(a);
      expect(c.replace(/\.pcapng/g, '.pcap')).toBe(a);
    }
  });
});
