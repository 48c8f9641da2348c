/**
 * Draws a figure by kind name, for callers that choose the kind at run time (`plot --kind`).
 */
import type { Figure, FigureKind, FigureOptions } from './figure.js';
import { inflightPlot } from './inflight_plot.js';
import { ladderDiagram } from './ladder_diagram.js';
import type { ConnectionView } from './plot_trace.js';
import { rttPlot } from './rtt_plot.js';
import { seqGraph } from './seq_graph.js';

/**
 * @example drawFigure('ladder', view, { range: { from: { frame: 1 }, to: { frame: 30 } } }).svg
 */
export function drawFigure(kind: FigureKind, view: ConnectionView, fo: FigureOptions = {}): Figure {
  switch (kind) {
    case 'seq': return seqGraph(view, fo);
    case 'ladder': return ladderDiagram(view, fo);
    case 'inflight': return inflightPlot(view, fo);
    case 'rtt': return rttPlot(view, fo);
  }
}
