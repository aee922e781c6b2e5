// The process exit codes, in one place so the README table, the commands and the tests agree.

export const ExitCode = {
  /** Every variant completed (or was cancelled as scripted) and the verifier found nothing. */
  ok: 0,
  /** The run finished, but a variant failed or the verifier found mismatching pages. */
  failed: 1,
  /** Bad input: a command-line flag, a missing file, or a scenario that does not validate. */
  usage: 2,
  /** A bug in hintmig (EX_SOFTWARE from sysexits.h). */
  internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
