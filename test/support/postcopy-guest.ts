// A guest for postcopy: much free memory (a job ended), a hot working set that keeps precopy from
// converging, and a new job that allocates after the switch, on the destination.

import type { FreePagePolicy, SimConfig } from "../../src/model.ts";
import { simConfig } from "./sim-config.ts";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const MS = 1_000_000;

export function postcopyGuest(policy: FreePagePolicy, patch: (c: SimConfig) => void = () => {}): SimConfig {
  return simConfig({
    memoryBytes: 4 * GiB,
    workload: [
      { kind: "boot", dataBytes: 300 * MiB },
      { kind: "touch", bytes: 3 * GiB, name: "old", rateBytesPerSec: null },
      { kind: "free", name: "old", bytes: null },
      {
        kind: "dirty",
        rateBytesPerSec: 600 * MiB,
        workingSetBytes: 256 * MiB,
        over: null,
        name: "hot",
        pattern: { kind: "uniform" },
        durationNs: 650 * MS,
        threads: 2,
      },
      // A new job allocates while (or after) the guest moves: on the destination, into hinted memory.
      { kind: "touch", bytes: 192 * MiB, name: "new", rateBytesPerSec: 1 * GiB },
      {
        kind: "dirty",
        rateBytesPerSec: 200 * MiB,
        workingSetBytes: null,
        over: "hot",
        name: null,
        pattern: { kind: "uniform" },
        durationNs: null,
        threads: 2,
      },
    ],
    patch: (c) => {
      c.guest.vcpus = 2;
      c.migration.startNs = 100 * MS;
      c.migration.capabilities["postcopy-ram"] = true;
      c.migration.parameters.downtimeLimitNs = 50 * MS;
      c.balloon.freePageHint = true;
      c.postcopy.freePagePolicy = policy;
      c.postcopy.switchAfterPasses = 2;
      patch(c);
    },
  });
}
