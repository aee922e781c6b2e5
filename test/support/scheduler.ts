// A Scheduler for unit tests of components that post events: a clock and an event queue, nothing else.

import { EventQueue } from "../../src/core/event-queue.ts";
import type { Scheduler } from "../../src/core/scheduler.ts";

export class TestScheduler implements Scheduler {
  nowNs = 0;
  private readonly events = new EventQueue<() => void>();

  at(atNs: number, fn: () => void): void {
    this.events.push(Math.max(atNs, this.nowNs), fn);
  }

  /** Runs every event due up to `untilNs`, in order, and leaves the clock there. */
  runUntil(untilNs: number): void {
    for (let e = this.events.popDue(untilNs); e !== undefined; e = this.events.popDue(untilNs)) {
      this.nowNs = e.atNs;
      e.value();
    }
    this.nowNs = untilNs;
  }
}
