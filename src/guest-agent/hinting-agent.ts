// The guest side of free-page hinting, as Linux's virtio_balloon driver does it. When the device's
// config shows a new cmd_id, the driver sends that id on the free-page virtqueue, then takes free blocks
// off the buddy free lists one at a time (alloc_pages of the hint order), checking before each block
// that the id is still current, and sends each block's address as one buffer. It keeps the blocks, so
// the guest cannot reuse them, until the host says DONE, or until memory pressure makes its shrinker give
// some back (the guest then uses and writes them; KVM's dirty log sees those writes).

import type { FreePageVirtqueue } from "../balloon/virtqueue.ts";
import type { Scheduler } from "../core/scheduler.ts";
import type { Ns } from "../model.ts";
import type { GuestMemory } from "./memory.ts";

/** cmd_id values with a meaning of their own (VIRTIO_BALLOON_CMD_ID_STOP / _DONE). */
export const CMD_ID_STOP = 0;
export const CMD_ID_DONE = 1;

/** At most this many blocks are taken per burst, so the driver notices an id change in good time. */
const MAX_BURST_BLOCKS = 64;

export interface HintingAgentOptions {
  blockPages: number;
  blockGuestNs: Ns;
  configLatencyNs: Ns;
}

interface Burst {
  startNs: Ns;
  blocks: number[];
  /** Bumped to cancel the scheduled end of a burst that was cut short. */
  generation: number;
}

export class HintingAgent {
  /** The cmd_id the driver last read from the config. */
  private seenId = CMD_ID_STOP;
  /** The cmd_id the driver last sent to the host (cmd_id_active). */
  private sentId: number | null = null;
  /** Blocks taken off the free lists and reported, held until DONE (first page of each). */
  private readonly held: number[] = [];
  private burst: Burst | null = null;
  private generation = 0;
  private waitingForSpace = false;
  /** Guest CPU spent by the driver. */
  guestBusyNs: Ns = 0;
  blocksReported = 0;
  blocksReturnedUnderPressure = 0;

  constructor(
    private readonly memory: GuestMemory,
    private readonly vq: FreePageVirtqueue,
    private readonly sched: Scheduler,
    private readonly opts: HintingAgentOptions,
  ) {
    vq.onSpace(() => {
      if (this.waitingForSpace) {
        this.waitingForSpace = false;
        this.report();
      }
    });
    memory.onPressure((pages) => this.shrink(pages));
  }

  get heldPages(): number {
    return this.held.length * this.opts.blockPages;
  }

  /** The device changed its config; the driver acts on it after the notification latency. */
  configChanged(id: number): void {
    this.sched.at(this.sched.nowNs + this.opts.configLatencyNs, () => this.onConfig(id));
  }

  private onConfig(id: number): void {
    this.cutBurst();
    this.seenId = id;
    if (id === CMD_ID_DONE) {
      this.returnAll();
      return;
    }
    if (id === CMD_ID_STOP || id === this.sentId) return;
    this.vq.add({ kind: "cmd-id", id });
    this.vq.kick();
    this.sentId = id;
    this.report();
  }

  private reporting(): boolean {
    return this.seenId !== CMD_ID_STOP && this.seenId !== CMD_ID_DONE && this.seenId === this.sentId;
  }

  /** Starts a burst: takes blocks now, sends them as each one's guest time elapses (at the burst's end). */
  private report(): void {
    if (this.burst !== null || !this.reporting()) return;
    const room = Math.min(this.vq.hintSlots, MAX_BURST_BLOCKS);
    if (room === 0) {
      this.waitingForSpace = true;
      return;
    }
    const order = Math.log2(this.opts.blockPages);
    const blocks: number[] = [];
    for (let i = 0; i < room; i++) {
      const start = this.memory.allocator.takeBlock(order);
      if (start === undefined) break;
      blocks.push(start);
    }
    // No free block of that order is left: this report is complete.
    if (blocks.length === 0) return;
    const generation = ++this.generation;
    this.burst = { startNs: this.sched.nowNs, blocks, generation };
    this.sched.at(this.sched.nowNs + blocks.length * this.opts.blockGuestNs, () => {
      if (this.burst?.generation === generation) this.endBurst();
    });
  }

  private endBurst(): void {
    const burst = this.burst!;
    this.burst = null;
    for (const start of burst.blocks) {
      this.held.push(start);
      this.vq.add({ kind: "hint", start, pages: this.opts.blockPages });
    }
    this.blocksReported += burst.blocks.length;
    this.guestBusyNs += burst.blocks.length * this.opts.blockGuestNs;
    this.vq.kick();
    this.report();
  }

  /**
   * The driver re-reads the id before each block: blocks it had not started taking when the change
   * became visible go back to the free lists; the ones already taken are still sent (and the host,
   * no longer in START for them, discards them).
   */
  private cutBurst(): void {
    const burst = this.burst;
    if (burst === null) return;
    const started = Math.ceil((this.sched.nowNs - burst.startNs) / this.opts.blockGuestNs);
    const untaken = burst.blocks.splice(Math.max(0, started));
    this.release(untaken);
    this.generation++;
    if (burst.blocks.length === 0) {
      this.burst = null;
      return;
    }
    const endNs = burst.startNs + burst.blocks.length * this.opts.blockGuestNs;
    const generation = this.generation;
    burst.generation = generation;
    this.sched.at(endNs, () => {
      if (this.burst?.generation === generation) this.endBurst();
    });
  }

  /** The shrinker: gives back held blocks until `pages` are free again; returns the pages given back. */
  private shrink(pages: number): number {
    let freed = 0;
    while (freed < pages && this.held.length > 0) {
      this.release([this.held.pop()!]);
      freed += this.opts.blockPages;
      this.blocksReturnedUnderPressure++;
    }
    return freed;
  }

  private returnAll(): void {
    this.release(this.held.splice(0));
  }

  private release(starts: readonly number[]): void {
    if (starts.length === 0) return;
    this.memory.allocator.release(starts.map((start) => ({ start, end: start + this.opts.blockPages })));
  }
}
