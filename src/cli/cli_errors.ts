/**
 * How every command ends: results on stdout, one line per error on stderr, exit codes
 * 0 (ok), 1 (a check failed), 2 (bad usage or input). No stack traces unless ACKTRACE_DEBUG=1.
 */
import { InputError } from '../input_error.js';

export class UsageError extends Error {}

/** Wraps a command action so expected failures print one line and set the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}

/** Prints an error for a person and returns the exit code it deserves. */
export function reportError(e: unknown): number {
  if (process.env.ACKTRACE_DEBUG) console.error(e);
  if (e instanceof InputError || e instanceof UsageError) {
    console.error(`acktrace: ${e.message}`);
    return 2;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'EPIPE') return 0; // `acktrace decode big.pcap | head` is not an error
  console.error(`acktrace: internal error: ${err?.message ?? String(e)} (run with ACKTRACE_DEBUG=1 for details)`);
  return 70;
}
