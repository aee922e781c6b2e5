// The world a migration runs in, and its clock: the guest (memory, workload, KVM's dirty log), the
// destination's copy, the transport and the link, both hosts' CPU, and simulated time. Time moves only
// forward, through `advance`, which runs every event due on the way at its own instant and lets the guest
// run (and write) in between; every batch the migration sends is counted when it leaves and crosses for as
// long as its transport says. precopy.ts and migration.ts build the migration itself on top.

import { DirtyLog } from "../bitmap/dirty-log.ts";
import { EventQueue } from "../core/event-queue.ts";
import { Rng } from "../core/rng.ts";
import type { Scheduler } from "../core/scheduler.ts";
import { GuestMemory } from "../guest-agent/memory.ts";
import { Workload } from "../guest-agent/workload.ts";
import type { RunHooks } from "../index.ts";
import type {
  Command,
  MigrationParameters,
  MigrationStatus,
  NetworkConfig,
  Ns,
  PassRecord,
  ProgressStatus,
  SimConfig,
} from "../model.ts";
import { NS_PER_MS } from "../model.ts";
import { ChannelStates } from "../transport/channels.ts";
import { CpuAccount, type HostSide } from "../transport/cpu.ts";
import { TRANSPORTS } from "../transport/index.ts";
import { SHARED_THREADS, type SharedFabric } from "../transport/shared-fabric.ts";
import type { TransferCost, Transport } from "../transport/transport.ts";
import { AutoConverge } from "./auto-converge.ts";
import { Destination } from "./destination.ts";
import { LinkFaults } from "./link-faults.ts";
import { PrecopyNotifiers } from "./notifiers.ts";
import type { Chunk, RamState } from "./ram.ts";
import { MigrationStats } from "./stats.ts";
import { type Counters, Timeline } from "./timeline.ts";

/** Steps between progress reports within a pass. */
const PROGRESS_EVERY_STEPS = 64;

export type Phase = "before" | "setup" | "active" | "stop-and-copy" | "postcopy" | MigrationStatus;

/** A cumulative busy-time counter of some model component, charged to a host thread as time passes. */
interface BusyMeter {
  host: () => HostSide;
  thread: string;
  read: () => Ns;
  last: Ns;
}

/** What the migrations of several guests between the same two hosts share (see group.ts). */
export interface SharedHosts {
  fabric: SharedFabric;
  /** The link as it is now, for every guest: one link's rate and loss change for all of them. */
  network: NetworkConfig;
  /** Both hosts' CPU, all guests together. */
  cpu: CpuAccount;
}

export abstract class MigrationWorld implements Scheduler {
  readonly memory: GuestMemory;
  readonly workload: Workload;
  readonly dirtyLog: DirtyLog;
  readonly destination: Destination;
  readonly transport: Transport;
  readonly link: LinkFaults;
  readonly cpu: CpuAccount;
  readonly stats = new MigrationStats();
  readonly notifiers = new PrecopyNotifiers();
  readonly params: MigrationParameters;
  readonly autoConverge: AutoConverge;
  readonly passes: PassRecord[] = [];
  readonly timeline: Timeline;
  ram: RamState | null = null;

  phase: Phase = "before";
  nowNs: Ns = 0;
  readonly startNs: Ns;
  setupDoneNs: Ns | null = null;
  stoppedNs: Ns | null = null;
  /** When the guest resumed on the destination after stop-and-copy or the postcopy switch. */
  resumedNs: Ns | null = null;

  protected readonly events = new EventQueue<() => void>();
  protected guestRunning = true;
  /** The host the guest's vCPUs run on: the destination once it resumed there. */
  protected guestHost: HostSide = "source";
  private readonly meters: BusyMeter[] = [];
  private steps = 0;
  /** The batch crossing now: counted already, done in proportion to the time it has had. */
  private inFlight: { bytes: number; busyNs: Record<HostSide, Ns>; fromNs: Ns; toNs: Ns } | null = null;

  constructor(
    readonly config: SimConfig,
    protected readonly hooks: RunHooks,
    shared: SharedHosts | null,
  ) {
    const { guest, host, migration, simulation } = config;
    this.memory = new GuestMemory(guest.memoryBytes, guest.pageSizeBytes);
    // Guests of one run draw from their own streams, or two alike guests would write the same pages.
    const stream = config.guestName === null ? "workload" : `workload/${config.guestName}`;
    this.workload = new Workload(config.workload, this.memory, new Rng(config.seed, stream));
    this.dirtyLog = new DirtyLog(this.memory);
    this.destination = new Destination(this.memory.totalPages);
    // The link as it is now, changed by network events; one for all guests when several share it.
    const network = shared?.network ?? structuredClone(config.network);
    const channels = new ChannelStates();
    const own = TRANSPORTS[migration.transport]({
      host,
      network,
      pageSizeBytes: guest.pageSizeBytes,
      transport: config.transport,
      channels,
    });
    this.transport = shared === null ? own : shared.fabric.attach(own);
    this.link = new LinkFaults(network, channels, this.transport, this);
    this.cpu = new CpuAccount(
      host.cores,
      shared === null
        ? null
        : (c) =>
            shared.cpu.charge(
              SHARED_THREADS.has(c.thread) ? c : { ...c, thread: `${config.guestName}/${c.thread}` },
            ),
    );
    this.params = { ...migration.parameters };
    this.autoConverge = new AutoConverge(migration.capabilities["auto-converge"]);
    this.startNs = migration.startNs;
    this.timeline = new Timeline(migration.startNs, simulation.sampleIntervalNs, host.cores);
    this.meter(
      () => this.guestHost,
      "vcpus",
      () => this.workload.vcpuBusyNs,
    );
    for (const c of config.commands) this.at(c.atNs, () => this.command(c));
  }

  /** A scripted command or network event, at its time. */
  protected abstract command(c: Command): void;

  /** query-migrate's status now. */
  protected abstract status(): ProgressStatus;

  /** How much the guest's vCPUs are slowed over the next `dtNs` (auto-converge, or postcopy faults). */
  protected abstract guestThrottle(dtNs: Ns): number;

  protected meter(host: () => HostSide, thread: string, read: () => Ns): void {
    this.meters.push({ host, thread, read, last: read() });
  }

  /** Scheduler: runs `fn` at `atNs`, in order with everything else due then. */
  at(atNs: Ns, fn: () => void): void {
    this.events.push(Math.max(atNs, this.nowNs), fn);
  }

  get pageSizeBytes(): number {
    return this.memory.pageSizeBytes;
  }

  /**
   * Moves simulated time forward to `toNs`, running every event due on the way at its own instant; the
   * guest runs (and writes) in between unless stop-and-copy paused it.
   */
  protected advance(toNs: Ns): void {
    for (let next = this.events.peekTime(); next <= toNs; next = this.events.peekTime()) {
      this.runUntil(next);
      this.events.popDue(next)!.value();
    }
    this.runUntil(toNs);
  }

  private runUntil(toNs: Ns): void {
    if (toNs <= this.nowNs) return;
    if (this.guestRunning) {
      this.workload.advanceTo(toNs, this.guestThrottle(toNs - this.nowNs));
    }
    this.nowNs = toNs;
    for (const m of this.meters) {
      const now = m.read();
      if (this.phase !== "before")
        this.cpu.charge({ host: m.host(), thread: m.thread, busyNs: now - m.last });
      m.last = now;
    }
    if (this.phase !== "before") this.timeline.record(this.nowNs, this.counters());
  }

  /**
   * Counters for the timeline. A batch's bytes and CPU are counted when it is sent, but it takes its
   * duration to cross, so a sample taken meanwhile counts only the part done: throughput never shows
   * more than the link carried.
   */
  counters(): Counters {
    const f = this.inFlight;
    const left =
      f === null || f.toNs <= f.fromNs ? 0 : Math.max(0, (f.toNs - this.nowNs) / (f.toNs - f.fromNs));
    return {
      transferredBytes: this.stats.transferredBytes - left * (f?.bytes ?? 0),
      remainingPages: this.ram?.dirtyPages ?? 0,
      sourceBusyNs: this.cpu.busyNs("source") - left * (f?.busyNs.source ?? 0),
      destinationBusyNs: this.cpu.busyNs("destination") - left * (f?.busyNs.destination ?? 0),
    };
  }

  /** Lets time pass while a batch already counted crosses (and `extraNs` more). */
  protected transmit(cost: TransferCost, extraNs: Ns = 0): void {
    const busyNs = { source: 0, destination: 0 };
    for (const c of cost.charges) busyNs[c.host] += c.busyNs;
    const toNs = this.nowNs + cost.durationNs;
    this.inFlight = { bytes: cost.wireBytes, busyNs, fromNs: this.nowNs, toNs };
    this.advance(toNs + extraNs);
    this.inFlight = null;
  }

  protected charge(cost: TransferCost): void {
    for (const c of cost.charges) this.cpu.charge(c);
  }

  /** Tells a link shared with other guests what this migration sends now, before it sends it. */
  announce(): void {
    if (this.link.up && (this.phase === "active" || this.phase === "stop-and-copy")) this.costOf(1, 0);
  }

  protected costOf(pages: number, zeroPages: number): TransferCost {
    return this.transport.sendPages(
      { normalPages: pages - zeroPages, zeroPages },
      this.params.maxBandwidthBytesPerSec,
    );
  }

  /** Puts a chunk on the wire: counters, CPU, the destination's copy. Time is advanced by the caller. */
  protected sendChunk(chunk: Chunk): TransferCost {
    const cost = this.costOf(chunk.pages, chunk.zeroPages);
    this.destination.receive(chunk, this.memory);
    this.charge(cost);
    this.countSent(chunk.pages, chunk.zeroPages, cost.wireBytes);
    return cost;
  }

  protected countSent(pages: number, zeroPages: number, wireBytes: number): void {
    this.stats.transferredBytes += wireBytes;
    this.stats.zeroPages += zeroPages;
    this.stats.normalPages += pages - zeroPages;
    const pass = this.passes[this.passes.length - 1]!;
    pass["duplicate-pages"] += zeroPages;
    pass["normal-pages"] += pages - zeroPages;
    pass["transferred-bytes"] += wireBytes;
  }

  protected beginPass(stage: PassRecord["stage"]): void {
    this.passes.push({
      pass: this.passes.length + 1,
      stage,
      "start-ms": (this.nowNs - this.startNs) / NS_PER_MS,
      "end-ms": (this.nowNs - this.startNs) / NS_PER_MS,
      "dirty-pages-at-start": this.ram?.dirtyPages ?? 0,
      "normal-pages": 0,
      "duplicate-pages": 0,
      "skipped-free-pages": 0,
      "transferred-bytes": 0,
      "cpu-throttle-percentage": Math.round(this.autoConverge.throttle * 100),
    });
  }

  protected endPass(): void {
    const pass = this.passes[this.passes.length - 1];
    if (pass !== undefined) pass["end-ms"] = (this.nowNs - this.startNs) / NS_PER_MS;
  }

  /** One more step of sending done: every so many, a progress report. */
  protected stepDone(): void {
    if (++this.steps % PROGRESS_EVERY_STEPS === 0) this.report();
  }

  protected report(): void {
    this.hooks.onProgress?.({
      variant: this.config.variantName,
      status: this.status(),
      ...(this.config.guestName === null ? {} : { guest: this.config.guestName }),
      simTimeMs: (this.nowNs - this.startNs) / NS_PER_MS,
      pass: this.passes.length,
      remainingPages: this.ram?.dirtyPages ?? 0,
      totalPages: this.memory.totalPages,
      transferredBytes: this.stats.transferredBytes,
    });
  }
}
