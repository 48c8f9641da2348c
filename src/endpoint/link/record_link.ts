/**
 * The record wrapper: a Link that writes everything it sends and receives to a RunRecorder.
 * Put it inside impair (impair(record(link))) to record what really crossed the wire, with
 * the impairments' drops reported to the same recorder.
 */
import type { Clock } from '../clock.js';
import type { Link } from './link.js';
import type { RunRecorder } from './run_recorder.js';

/**
 * @example
 * const link = impair(record(wire.a, recorder, clock), { spec, clock, onDrop: (e) => recorder.drop(e) });
 */
export function record(inner: Link, recorder: RunRecorder, clock: Clock): Link {
  const link: Link = {
    kind: inner.kind,
    get local() { return inner.local; },
    get remote() { return inner.remote; },
    onReceive: () => {},
    send(bytes: Buffer): void {
      recorder.frame(inner.local, inner.remote, clock.now(), bytes);
      inner.send(bytes);
    },
    close(): void { inner.close(); },
  };
  inner.onReceive = (bytes) => {
    recorder.frame(inner.remote, inner.local, clock.now(), bytes);
    link.onReceive(bytes);
  };
  return link;
}
