/**
 * The built CLI as a child process, for tests that run endpoints over real sockets: its stderr
 * collected, its exit awaited, and a kill after a time limit so no test can hang.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface Running { child: ChildProcess; stderr: () => string; done: Promise<number> }

/** @example const rec = runCli(['receive', '-p', 'sock352', '--port', '0', '--out', 'x'], dir); */
export function runCli(args: string[], cwd: string, timeoutMs = 60_000): Running {
  return runCommand(process.execPath, [CLI, ...args], cwd, timeoutMs);
}

/** Any command, run the same way (a shell that sets limits before it execs the CLI, say). */
export function runCommand(command: string, args: string[], cwd: string, timeoutMs = 60_000): Running {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  child.stdout!.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<number>((resolve) => child.on('close', (code) => { clearTimeout(timer); resolve(code ?? -1); }));
  return { child, stderr: () => err, done };
}

/** The port a running command announced on stderr (`pattern` captures it), waiting up to 5 s. */
export async function portFrom(r: Running, pattern: RegExp): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const m = pattern.exec(r.stderr());
    if (m) return Number(m[1]);
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`no port announced: ${r.stderr()}`);
}
