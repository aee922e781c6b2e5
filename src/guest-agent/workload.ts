// The guest's scripted life: a list of steps run in order on the simulated clock. The simulation
// advances it interval by interval (advanceTo), and it writes guest memory at the rates its steps give,
// slowed by the vCPU throttle that auto-converge imposes.

import type { Rng } from "../core/rng.ts";
import type { DirtyPattern, Ns, WorkloadStep } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";
import { coalesce, type Extent, extentPages, splitTail } from "./extents.ts";
import type { GuestMemory } from "./memory.ts";
import { IndexMap, RandomOrderSweep, SequentialSweep, type Sweep } from "./sweep.ts";

/** A step that cannot run (the guest is out of memory, an allocation is unknown): a scenario error. */
export class WorkloadError extends Error {}

interface Allocation {
  name: string | null;
  extents: Extent[];
}

/** A step in progress that writes over time. */
interface Running {
  /** Simulated time at which the step ends; Infinity = never. */
  endNs: Ns;
  /** Pages written per second at no throttle. */
  pagesPerSec: number;
  /** How the step's writes are spread; several for hot/cold. */
  sweeps: { sweep: Sweep; share: number }[];
  /** vCPUs the step keeps busy. */
  threads: number;
  /** For a timed touch: pages still to fault in; the step ends when it reaches 0. */
  pagesLeft: number;
  /** For a timed touch: the allocation its pages join as they are faulted in. */
  growing: Allocation | null;
  /** Fractional pages carried to the next interval. */
  carry: number;
}

export class Workload {
  private next = 0;
  private nowNs: Ns = 0;
  private running: Running | null = null;
  private readonly allocations: Allocation[] = [];
  /** vCPU time the guest's jobs have used since boot (threads × unthrottled share × time). */
  vcpuBusyNs: Ns = 0;

  constructor(
    private readonly steps: readonly WorkloadStep[],
    private readonly memory: GuestMemory,
    private readonly rng: Rng,
  ) {}

  get timeNs(): Ns {
    return this.nowNs;
  }

  /** vCPUs busy running the guest's job now, before throttling. */
  get busyVcpus(): number {
    return this.running?.threads ?? 0;
  }

  /** Runs the timeline until `untilNs`; writes during the interval are scaled by (1 - throttle). */
  advanceTo(untilNs: Ns, throttle = 0): void {
    while (this.nowNs < untilNs || (this.running === null && this.next < this.steps.length)) {
      if (this.running === null) {
        if (this.next >= this.steps.length) {
          this.nowNs = untilNs;
          return;
        }
        this.start(this.steps[this.next]!, this.next);
        this.next++;
        continue;
      }
      const r = this.running;
      const segEnd = Math.min(untilNs, r.endNs);
      const segStart = this.nowNs;
      const rate = r.pagesPerSec * (1 - throttle);
      const pages = (rate * (segEnd - this.nowNs)) / NS_PER_SEC;
      if (r.growing !== null) {
        const due = pages + r.carry;
        if (due + 1e-9 >= r.pagesLeft) {
          // The touch finishes inside this interval: it ends when its last page is written.
          const doneAt = this.nowNs + ((r.pagesLeft - r.carry) / rate) * NS_PER_SEC;
          this.grow(r.growing, r.pagesLeft);
          this.nowNs = Math.min(segEnd, doneAt);
          this.vcpuBusyNs += r.threads * (1 - throttle) * (this.nowNs - segStart);
          this.running = null;
          continue;
        }
        const whole = Math.floor(due + 1e-9);
        r.carry = due - whole;
        this.grow(r.growing, whole);
        r.pagesLeft -= whole;
      } else {
        for (const { sweep, share } of r.sweeps) sweep.advance(pages * share, this.memory);
      }
      this.nowNs = segEnd;
      this.vcpuBusyNs += r.threads * (1 - throttle) * (segEnd - segStart);
      if (segEnd >= r.endNs) this.running = null;
    }
  }

  /**
   * A job's memory grows as it faults pages in: each page is allocated and written at once (Linux
   * zeroes a user page in the fault that allocates it), so no page is ever allocated yet unwritten.
   */
  private grow(into: Allocation, pages: number): void {
    if (pages <= 0) return;
    const extents = this.memory.allocate(pages);
    if (extents === null) {
      throw new WorkloadError(
        `workload: a touch needs ${pages} more pages but the guest has ${this.memory.allocator.freePages} free`,
      );
    }
    for (const e of extents) this.memory.writeRange(e.start, e.end);
    into.extents = coalesce([...into.extents, ...extents]);
  }

  private start(step: WorkloadStep, index: number): void {
    const pageBytes = this.memory.pageSizeBytes;
    const toPages = (bytes: number) => Math.ceil(bytes / pageBytes);
    switch (step.kind) {
      case "boot": {
        const extents = this.allocate(toPages(step.dataBytes), null, index);
        for (const e of extents) this.memory.writeRange(e.start, e.end);
        return;
      }
      case "touch": {
        if (step.rateBytesPerSec === null) {
          const extents = this.allocate(toPages(step.bytes), step.name, index);
          for (const e of extents) this.memory.writeRange(e.start, e.end);
          return;
        }
        const growing: Allocation = { name: step.name, extents: [] };
        this.allocations.push(growing);
        this.running = {
          endNs: Number.POSITIVE_INFINITY,
          pagesPerSec: step.rateBytesPerSec / pageBytes,
          sweeps: [],
          threads: 1,
          pagesLeft: toPages(step.bytes),
          growing,
          carry: 0,
        };
        return;
      }
      case "free":
        this.free(step.name, step.bytes === null ? null : toPages(step.bytes), index);
        return;
      case "idle":
        this.running = {
          endNs: step.durationNs === null ? Number.POSITIVE_INFINITY : this.nowNs + step.durationNs,
          pagesPerSec: 0,
          sweeps: [],
          threads: 0,
          pagesLeft: Number.POSITIVE_INFINITY,
          growing: null,
          carry: 0,
        };
        return;
      case "dirty": {
        let extents: Extent[];
        if (step.over !== null) {
          extents = this.find(step.over, index).extents;
        } else {
          extents = this.allocate(toPages(step.workingSetBytes ?? 0), step.name, index);
          // A job first touches the buffer it then keeps dirtying.
          for (const e of extents) this.memory.writeRange(e.start, e.end);
        }
        const map = new IndexMap(extents);
        this.running = {
          endNs: step.durationNs === null ? Number.POSITIVE_INFINITY : this.nowNs + step.durationNs,
          pagesPerSec: step.rateBytesPerSec / pageBytes,
          sweeps: this.sweepsFor(step.pattern, map, index),
          threads: step.threads,
          pagesLeft: Number.POSITIVE_INFINITY,
          growing: null,
          carry: 0,
        };
        return;
      }
    }
  }

  private sweepsFor(pattern: DirtyPattern, map: IndexMap, index: number): { sweep: Sweep; share: number }[] {
    const rng = this.rng.fork(`step-${index}`);
    switch (pattern.kind) {
      case "sequential":
        return [{ sweep: new SequentialSweep(map), share: 1 }];
      case "uniform":
        return [{ sweep: new RandomOrderSweep(map, rng), share: 1 }];
      case "hot-cold": {
        const hot = Math.max(1, Math.min(map.size - 1, Math.round(map.size * pattern.hotFraction)));
        return [
          { sweep: new RandomOrderSweep(map, rng, 0, hot), share: pattern.hotWriteFraction },
          { sweep: new RandomOrderSweep(map, rng, hot, map.size - hot), share: 1 - pattern.hotWriteFraction },
        ];
      }
    }
  }

  private allocate(pages: number, name: string | null, index: number): Extent[] {
    const extents = this.memory.allocate(pages);
    if (extents === null) {
      throw new WorkloadError(
        `workload[${index}]: needs ${pages} pages but the guest has ${this.memory.allocator.freePages} free`,
      );
    }
    this.allocations.push({ name, extents });
    return extents;
  }

  private find(name: string, index: number): Allocation {
    for (let i = this.allocations.length - 1; i >= 0; i--) {
      if (this.allocations[i]!.name === name) return this.allocations[i]!;
    }
    throw new WorkloadError(`workload[${index}]: no allocation named "${name}" is held at this point`);
  }

  /** Frees a named allocation (or `pages` of it), or the `pages` most recently allocated. */
  private free(name: string | null, pages: number | null, index: number): void {
    if (name !== null) {
      const a = this.find(name, index);
      const [kept, removed] = splitTail(a.extents, pages ?? extentPages(a.extents));
      this.memory.release(removed);
      a.extents = kept;
      if (kept.length === 0) this.allocations.splice(this.allocations.indexOf(a), 1);
      return;
    }
    let left = pages ?? 0;
    while (left > 0 && this.allocations.length > 0) {
      const a = this.allocations[this.allocations.length - 1]!;
      const [kept, removed] = splitTail(a.extents, Math.min(left, extentPages(a.extents)));
      this.memory.release(removed);
      left -= extentPages(removed);
      a.extents = kept;
      if (kept.length === 0) this.allocations.pop();
    }
  }
}
