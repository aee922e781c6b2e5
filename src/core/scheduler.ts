// What model components (the balloon driver, the device, the I/O thread) see of simulated time: the
// current instant and a way to run something later. The migration owns the clock and the queue.

import type { Ns } from "../model.ts";

export interface Scheduler {
  readonly nowNs: Ns;
  /** Runs `fn` at `atNs` (or now, if that is already past), after everything scheduled earlier for then. */
  at(atNs: Ns, fn: () => void): void;
}
