// A discrete-event queue ordered by (time, priority, insertion order). The insertion sequence breaks
// ties, so two events at the same instant always run in the order they were scheduled: runs are
// deterministic without relying on the sort stability of anything.

import type { Ns } from "../model.ts";

interface Entry<T> {
  atNs: Ns;
  priority: number;
  seq: number;
  value: T;
}

export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Lower priority values run first among events at the same time. */
  push(atNs: Ns, value: T, priority = 0): void {
    this.heap.push({ atNs, priority, seq: this.seq++, value });
    this.up(this.heap.length - 1);
  }

  /** Time of the earliest event, or Infinity. */
  peekTime(): Ns {
    return this.heap[0]?.atNs ?? Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest event if it is due at or before `nowNs`. */
  popDue(nowNs: Ns): { atNs: Ns; value: T } | undefined {
    const top = this.heap[0];
    if (top === undefined || top.atNs > nowNs) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return { atNs: top.atNs, value: top.value };
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    if (a.atNs !== b.atNs) return a.atNs < b.atNs;
    if (a.priority !== b.priority) return a.priority < b.priority;
    return a.seq < b.seq;
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
