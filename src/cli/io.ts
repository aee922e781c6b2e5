// Where the commands write. Commands take this instead of touching process.stdout directly, so the JSON
// mode's "stdout is only the JSON" rule is visible at every call site.

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars are drawn only on a terminal; redirected stderr gets plain lines only. */
  errIsTty: boolean;
}

export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  errIsTty: process.stderr.isTTY === true,
};
