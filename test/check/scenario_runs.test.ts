/**
 * Recorded runs of the three seed protocols held to their scenarios: the correct runs pass every
 * rule; runs broken on purpose fail exactly the rule that should fail, at the right frames.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCaptureFile, type CaptureVerdict } from '../../src/check/capture_verdict.js';
import { loadScenario } from '../../src/check/scenario_file.js';
import { packageRun, type PackageRunOptions } from './package_runs.js';
import { SOCK352_MESSAGE, sock352LostLastAck } from './sock352_runs.js';

const root = resolve(__dirname, '../..');
const scenarios = resolve(root, 'fixtures/scenarios');
const dir = mkdtempSync(join(tmpdir(), 'acktrace-check-'));
const MESSAGE = '"aaaaabbbbbccccccddddddeeeeffffffggggghhhhiiiijjjjkkkklllll"';

function failed(v: CaptureVerdict): string[] {
  return v.rules.filter((r) => r.verdict === 'FAIL').map((r) => r.id);
}

function rule(v: CaptureVerdict, id: string) {
  return v.rules.find((r) => r.id === id)!;
}

function runPackage(name: string, scenario: string, o: Partial<PackageRunOptions>): CaptureVerdict {
  const sc = loadScenario(join(scenarios, scenario));
  const file = packageRun(sc.dissector, { message: MESSAGE, window: 3, timeout: 2, N: 4, ...o }).write(join(dir, `${name}.pcap`));
  return checkCaptureFile(file, sc);
}

describe('seed fixtures (fixtures/seeds, written by the codec and pcap writer)', () => {
  for (const [cap, sc] of [
    ['sock352_gbn_drop3.pcap', 'seed-sock352-gbn-drop3.json'],
    ['sock352_gbn_drop3.pcapng', 'seed-sock352-gbn-drop3.json'],
    ['csee4119_drop1500.pcap', 'seed-csee4119-drop1500.json'],
    ['ariel_package_drop4.pcap', 'seed-package-drop4.json'],
    ['ariel_package_drop4.json', 'seed-package-drop4.json'],
  ]) {
    it(`${cap} passes every rule of ${sc}`, () => {
      const v = checkCaptureFile(join(root, 'fixtures/seeds', cap), loadScenario(join(scenarios, sc)));
      expect(failed(v)).toEqual([]);
      expect(v.verdict).toBe('PASS');
      expect(rule(v, 'drops-retransmitted').verdict).toBe('PASS');
      expect(rule(v, 'delivery').verdict).toBe('PASS');
    });
  }

  it('reads the drops of csee4119_drop1500 from its sidecar: the fast retransmission at frame 14', () => {
    const v = checkCaptureFile(join(root, 'fixtures/seeds/csee4119_drop1500.pcap'), loadScenario(join(scenarios, 'seed-csee4119-drop1500.json')));
    const r = rule(v, 'drops-retransmitted');
    expect(r.evidence.map((e) => e.frame)).toEqual([14]);
    expect(r.summary).toContain('1501 by dup-acks');
  });

  it('the same run held to a 3-duplicate-ACK policy fails: the resend came after only 2', () => {
    const sc = loadScenario(join(scenarios, 'seed-csee4119-drop1500.json'));
    const strict = { ...sc, dupAckThreshold: 3 };
    const v = checkCaptureFile(join(root, 'fixtures/seeds/csee4119_drop1500.pcap'), strict);
    expect(failed(v)).toEqual(['drops-retransmitted']);
    expect(rule(v, 'drops-retransmitted').evidence[0].frame).toBe(14);
  });
});

describe("seed 004's three scenarios (Package protocol, window 3, timeout 2 s)", () => {
  it('data 4, 9, 10 dropped: each resent as the oldest unACKed package; every rule passes', () => {
    const v = runPackage('lost-data', 'package-lost-data.json', { dropData: [4, 9, 10] });
    expect(failed(v)).toEqual([]);
    const r = rule(v, 'drops-retransmitted');
    expect(r.verdict).toBe('PASS');
    expect(v.predictions.map((p) => [p.what, p.seq, p.expect])).toEqual([['data', 4, 'retransmit'], ['data', 9, 'retransmit'], ['data', 10, 'retransmit']]);
    expect(r.summary).toMatch(/4 by window, 9 by window/);
  });

  it('ACKs of 4, 9, 10 lost: later cumulative ACKs cover them, nothing is resent', () => {
    const v = runPackage('lost-acks', 'package-lost-acks.json', { dropAcks: [4, 9, 10] });
    expect(failed(v)).toEqual([]);
    expect(rule(v, 'lost-acks-covered').verdict).toBe('PASS');
    expect(v.predictions.every((p) => p.expect === 'no-retransmit')).toBe(true);
    expect(rule(v, 'drops-retransmitted').verdict).toBe('N/A');
  });

  it('ACKs of 9, 10, 11 lost: the full window forces a resend of 9, and only of 9', () => {
    const v = runPackage('lost-acks-9-11', 'package-lost-acks-9-11.json', { dropAcks: [9, 10, 11] });
    expect(failed(v)).toEqual([]);
    expect(v.predictions.map((p) => [p.seq, p.expect])).toEqual([[9, 'retransmit'], [10, 'no-retransmit'], [11, 'no-retransmit']]);
    expect(rule(v, 'drops-retransmitted').summary).toContain('9 by window');
  });

  it('broken: package 4 resent before its timer or the window allowed it → only drops-retransmitted fails, at that frame', () => {
    const good = runPackage('lost-data-ref', 'package-lost-data.json', { dropData: [4, 9, 10] });
    const v = runPackage('early', 'package-lost-data.json', { dropData: [4, 9, 10], earlyResend: 4 });
    expect(failed(v)).toEqual(['drops-retransmitted']);
    const bad = rule(v, 'drops-retransmitted').evidence.find((e) => e.note.startsWith('data 4'))!;
    expect(bad.note).toMatch(/no allowed trigger.*window not full \(2 in flight < 3\)/);
    // The early copy is the first MSG with pos 4 in the capture, sent right after pos 5.
    expect(bad.frame).toBeLessThan(rule(good, 'drops-retransmitted').evidence[0].frame!);
  });

  it('broken: package 4 held back past its timer → only drops-retransmitted fails, at the late resend', () => {
    const good = runPackage('lost-data-ref2', 'package-lost-data.json', { dropData: [4, 9, 10] });
    const v = runPackage('late', 'package-lost-data.json', { dropData: [4, 9, 10], lateResend: 4 });
    expect(failed(v)).toEqual(['drops-retransmitted']);
    const r = rule(v, 'drops-retransmitted');
    expect(r.summary).toMatch(/^data 4 resent too late \(frame \d+\)$/);
    const bad = r.evidence.find((e) => e.note.startsWith('data 4'))!;
    expect(bad.note).toMatch(/after its timer expired at t=[\d.]+ at the latest/);
    // The late copy is the one MSG with pos 4 in the capture: past the deadline, seconds after the correct run's.
    const deadline = v.predictions.find((p) => p.what === 'data' && p.seq === 4)!.deadline!;
    expect(bad.time!).toBeGreaterThan(deadline);
    expect(bad.time!).toBeGreaterThan(rule(good, 'drops-retransmitted').evidence[0].time! + 2);
    expect(bad.frame).not.toBeNull();
    // 9 and 10 were resent on time in the same run.
    expect(r.evidence.filter((e) => /^data (9|10): resent by/.test(e.note))).toHaveLength(2);
  });

  it('correct runs resend within the deadline the timer gives', () => {
    const v = runPackage('lost-data-deadline', 'package-lost-data.json', { dropData: [4, 9, 10] });
    for (const p of v.predictions) {
      const ev = rule(v, 'drops-retransmitted').evidence.find((e) => e.note.startsWith(`data ${p.seq}:`))!;
      expect(p.deadline).not.toBeNull();
      expect(ev.time!).toBeLessThanOrEqual(p.deadline!);
    }
  });

  it('broken: a package sent beyond the window → only window fails, naming the frames', () => {
    const v = runPackage('overrun', 'package-lost-data.json', { dropData: [4, 9, 10], overrunWindow: true });
    expect(failed(v)).toEqual(['window']);
    const ev = rule(v, 'window').evidence;
    expect(ev.length).toBeGreaterThan(0);
    expect(ev[0].note).toMatch(/4 in flight .* > 3/);
  });

  it('broken: chunk 9 delivered a second time under a new pos → only delivery fails, pointing at both frames', () => {
    const v = runPackage('dup', 'package-lost-data.json', { dropData: [4, 9, 10], duplicateChunk: 9 });
    expect(failed(v)).toEqual(['delivery']);
    const ev = rule(v, 'delivery').evidence[0];
    expect(ev.note).toMatch(/repeat those of frame \d+ \(delivered twice\)/);
  });

  it('broken: an ACK record of the wrong size merged with the next one by TCP → only record-framing fails', () => {
    const v = runPackage('framing', 'package-lost-data.json', { dropData: [4, 9, 10], badAckRecord: 10 });
    expect(failed(v)).toEqual(['record-framing']);
    const ev = rule(v, 'record-framing').evidence;
    expect(ev.length).toBe(1);
    expect(ev[0].note).toContain('server stream: misframed');
  });
});

describe('sock352 Go-Back-N, ACK of the last packet lost', () => {
  const scFile = join(dir, 'sock352-lost-last-ack.json');
  writeFileSync(scFile, JSON.stringify({
    dissector: 'sock352', policy: 'go-back-n', params: { window: 4, timeout: 0.2, maxRetries: 5 },
    impairments: { acks: { seq: [6] } }, sent: { message: SOCK352_MESSAGE },
  }));

  it('correct: packet 6 resent when its timer expired; every rule passes', () => {
    const sc = loadScenario(scFile);
    const v = checkCaptureFile(sock352LostLastAck(sc.dissector, { resend: true }).write(join(dir, 's352-ok.pcap')), sc);
    expect(failed(v)).toEqual([]);
    expect(rule(v, 'drops-retransmitted').summary).toContain('6 by timeout');
  });

  it('broken: no retransmission, FIN after the timer → only drops-retransmitted fails', () => {
    const sc = loadScenario(scFile);
    const v = checkCaptureFile(sock352LostLastAck(sc.dissector, { resend: false }).write(join(dir, 's352-bad.pcap')), sc);
    expect(failed(v)).toEqual(['drops-retransmitted']);
    expect(rule(v, 'drops-retransmitted').summary).toBe('lost ACK of 6 never retransmitted');
  });
});
