// A batch through the stages of a transport: threads on two hosts and the link all work at once (each
// stage hands the next one data it already finished), so in steady state the batch takes as long as its
// slowest stage: the busiest thread (a thread is one core), a host whose migration threads together want
// more than its cores, the link, or a bound of the protocol itself (an RPC window).

import type { Ns } from "../model.ts";
import type { HostSide, ThreadCharge } from "./cpu.ts";
import type { TransferCost } from "./transport.ts";

export function pipelineCost(
  charges: readonly ThreadCharge[],
  boundsNs: readonly Ns[],
  wireBytes: number,
  cores: number,
): TransferCost {
  const perThread = new Map<string, ThreadCharge>();
  const perHost: Record<HostSide, Ns> = { source: 0, destination: 0 };
  for (const c of charges) {
    const key = `${c.host}\u0000${c.thread}`;
    const entry = perThread.get(key);
    if (entry === undefined) perThread.set(key, { ...c });
    else entry.busyNs += c.busyNs;
    perHost[c.host] += c.busyNs;
  }
  let durationNs = Math.max(0, ...boundsNs, perHost.source / cores, perHost.destination / cores);
  for (const c of perThread.values()) durationNs = Math.max(durationNs, c.busyNs);
  return { durationNs, wireBytes, charges: [...perThread.values()].filter((c) => c.busyNs > 0) };
}
