// From a schema-valid scenario document to the numbers the core runs on: defaults applied, units converted,
// and the rules a schema cannot express checked on the way (memory a multiple of the page size, steps that
// can never run, frees of allocations that do not exist, ...). Every rule reports a finding at the value to
// change rather than stopping, so a file's problems all show at once.

import type {
  BalloonConfig,
  Command,
  DirtyPattern,
  Expectation,
  FaultConfig,
  GuestConfig,
  HostConfig,
  MigrationConfig,
  MigrationParameters,
  MultifdCompression,
  NetworkConfig,
  PostcopyConfig,
  SimConfig,
  SimulationConfig,
  TransportConfig,
  WorkloadStep,
} from "../model.ts";
import {
  BALLOON_DEFAULTS,
  CAPABILITY_DEFAULTS,
  COMPRESSION_DEFAULTS,
  DEFAULT_SEED,
  DIRTY_PATTERN_DEFAULT,
  DIRTY_THREADS_DEFAULT,
  FAULT_DEFAULTS,
  GUEST_DEFAULTS,
  HOST_DEFAULTS,
  MIGRATION_DEFAULTS,
  NETWORK_DEFAULTS,
  PARAMETER_DEFAULTS,
  POSTCOPY_DEFAULTS,
  SIMULATION_DEFAULTS,
  TRANSPORT_DEFAULTS,
} from "./defaults.ts";
import { type Anchor, type Finding, MISSING, type Path } from "./problems.ts";
import type { ParametersFile, ScenarioFile, WorkloadStepFile } from "./schema.ts";
import {
  formatDuration,
  formatSize,
  formatSizeExact,
  type Parsed,
  parseDuration,
  parsePercent,
  parseRate,
  parseSize,
} from "./units.ts";

type Section<K extends keyof ScenarioFile> = Required<NonNullable<ScenarioFile[K]>>;
type ExpectFile = NonNullable<ScenarioFile["expect"]>;

/** Everything of a SimConfig that the scenario document decides (the variant adds its name and figures). */
export type ResolvedScenario = Omit<SimConfig, "variantName" | "guestName" | "expect">;

/** QEMU's MAX_MIGRATE_DOWNTIME_SECONDS: migrate-set-parameters refuses a longer downtime-limit. */
const MAX_DOWNTIME_LIMIT_NS = 2000e9;
const MIN_PAGE_SIZE = 4096;
const MAX_PAGE_SIZE = 2 ** 30;
/** The buddy allocator's largest block, MAX_ORDER-1, in pages: the most one free-list entry holds. */
const MAX_BLOCK_PAGES = 1024;

class Findings {
  readonly list: Finding[] = [];

  add(path: Path, got: unknown, expected: string, anchor: Anchor = "value"): void {
    this.list.push({ path, anchor, got, expected });
  }

  size(path: Path, text: string, positive: boolean): number {
    return this.quantity(parseSize, "a size", path, text, positive);
  }

  rate(path: Path, text: string, positive: boolean): number {
    return this.quantity(parseRate, "a rate", path, text, positive);
  }

  duration(path: Path, text: string, positive: boolean): number {
    return this.quantity(parseDuration, "a duration", path, text, positive);
  }

  /** A share of packets lost: below 100%, or no packet would ever arrive. */
  lossRate(path: Path, text: string): number {
    const parsed = parsePercent(text);
    if (!parsed.ok) {
      this.add(path, text, parsed.expected);
      return 0;
    }
    if (parsed.value >= 1) this.add(path, text, "a percentage below 100% (use link-down for a dead link)");
    return parsed.value;
  }

  /**
   * A quantity in the core's unit. The schema's pattern already matched, so parsing fails only on overflow;
   * `positive` rejects zero where the core would divide by it or never advance.
   */
  private quantity(
    parse: (text: unknown) => Parsed<number>,
    noun: string,
    path: Path,
    text: string,
    positive: boolean,
  ): number {
    const parsed = parse(text);
    if (!parsed.ok) {
      this.add(path, text, parsed.expected);
      return 0;
    }
    if (positive && parsed.value <= 0) this.add(path, text, `${noun} above zero`);
    return parsed.value;
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(Math.log2(n));
}

function isPageSize(bytes: number): boolean {
  return bytes >= MIN_PAGE_SIZE && bytes <= MAX_PAGE_SIZE && isPowerOfTwo(bytes);
}

function resolveGuest(file: ScenarioFile, f: Findings): GuestConfig {
  const guest = { ...GUEST_DEFAULTS, ...file.guest } satisfies Section<"guest">;
  const pageSizeBytes = f.size(["guest", "page-size"], guest["page-size"], true);
  const pageOk = isPageSize(pageSizeBytes);
  if (pageSizeBytes > 0 && !pageOk) {
    f.add(
      ["guest", "page-size"],
      guest["page-size"],
      "a power of two from 4KiB to 1GiB (4KiB, 2MiB, 1GiB, ...)",
    );
  }
  const memoryBytes = f.size(["guest", "memory"], guest.memory, true);
  if (pageOk && memoryBytes > 0 && memoryBytes % pageSizeBytes !== 0) {
    const pages = Math.ceil(memoryBytes / pageSizeBytes);
    f.add(
      ["guest", "memory"],
      guest.memory,
      `a multiple of the page size (${formatSize(pageSizeBytes)}), e.g. ${formatSizeExact(pages * pageSizeBytes)}`,
    );
  }
  return {
    memoryBytes,
    pageSizeBytes,
    vcpus: guest.vcpus,
    deviceStateBytes: f.size(["guest", "device-state"], guest["device-state"], false),
  };
}

interface Allocation {
  name: string | null;
  pages: number;
}

/**
 * Walks the steps in order, keeping the guest's live allocations as the guest agent will, so that names,
 * sizes and reachability are checked against the memory the guest actually has at each step.
 */
class WorkloadResolver {
  private readonly live: Allocation[] = [];
  /** Pages held by boot data, which no `free` releases. */
  private bootPages = 0;
  private readonly freedBy = new Map<string, number>();
  private overflowed = false;

  constructor(
    private readonly guest: GuestConfig,
    private readonly f: Findings,
  ) {}

  private pages(bytes: number): number {
    return this.guest.pageSizeBytes > 0 ? Math.ceil(bytes / this.guest.pageSizeBytes) : 0;
  }

  private usedPages(): number {
    return this.live.reduce((sum, allocation) => sum + allocation.pages, this.bootPages);
  }

  private find(name: string): Allocation | undefined {
    return this.live.find((allocation) => allocation.name === name);
  }

  private liveNames(): string {
    const names = this.live.flatMap((allocation) => (allocation.name === null ? [] : [allocation.name]));
    return names.length === 0 ? "none" : names.join(", ");
  }

  /** A name must not already label a live allocation, or `free`/`over` would be ambiguous. */
  private checkNewName(path: Path, name: string | undefined): void {
    if (name !== undefined && this.find(name) !== undefined) {
      this.f.add(path, name, `a name no live allocation has (live: ${this.liveNames()})`);
    }
  }

  private checkExisting(path: Path, name: string): Allocation | undefined {
    const found = this.find(name);
    if (found === undefined) {
      const freed = this.freedBy.get(name);
      const why = freed === undefined ? "" : `; ${name} was freed by workload[${freed}]`;
      this.f.add(
        path,
        name,
        `the name of a live allocation made by an earlier touch or dirty (live: ${this.liveNames()})${why}`,
      );
    }
    return found;
  }

  /** Checks that `pages` more fit in guest memory next to everything still live. */
  private reserve(path: Path, text: string, pages: number): void {
    const totalPages = this.pages(this.guest.memoryBytes);
    const used = this.usedPages();
    // Only the first overflow: every later allocation overflows too, and the fix is at the first.
    if (totalPages > 0 && used + pages > totalPages && !this.overflowed) {
      this.overflowed = true;
      const page = this.guest.pageSizeBytes;
      this.f.add(
        path,
        text,
        `at most ${formatSize((totalPages - used) * page)}: guest memory is ${formatSize(totalPages * page)} ` +
          `and earlier steps hold ${formatSize(used * page)}`,
      );
    }
  }

  private allocate(path: Path, text: string, bytes: number, name: string | null): void {
    const pages = this.pages(bytes);
    this.reserve(path, text, pages);
    this.live.push({ name, pages });
  }

  boot(index: number, step: NonNullable<WorkloadStepFile["boot"]>): WorkloadStep {
    const path = ["workload", index, "boot"];
    if (index !== 0) {
      this.f.add(path, step, "boot only as the first step (the guest boots once, at time 0)", "key");
    }
    const dataBytes = this.f.size([...path, "data"], step.data, false);
    const pages = this.pages(dataBytes);
    this.reserve([...path, "data"], step.data, pages);
    // The kernel's and services' data stays: it is kept apart from what `free` may release.
    this.bootPages += pages;
    return { kind: "boot", dataBytes };
  }

  touch(index: number, step: NonNullable<WorkloadStepFile["touch"]>): WorkloadStep {
    const path = ["workload", index, "touch"];
    const bytes = this.f.size([...path, "size"], step.size, true);
    const rate = step.rate === undefined ? null : this.f.rate([...path, "rate"], step.rate, true);
    this.checkNewName([...path, "name"], step.name);
    this.allocate([...path, "size"], step.size, bytes, step.name ?? null);
    return { kind: "touch", bytes, name: step.name ?? null, rateBytesPerSec: rate };
  }

  free(index: number, step: NonNullable<WorkloadStepFile["free"]>): WorkloadStep {
    const path = ["workload", index, "free"];
    const bytes = step.size === undefined ? null : this.f.size([...path, "size"], step.size, true);
    const pages = bytes === null ? null : this.pages(bytes);
    if (step.name !== undefined) {
      const allocation = this.checkExisting([...path, "name"], step.name);
      if (allocation !== undefined) {
        if (pages !== null && pages > allocation.pages) {
          const held = formatSize(allocation.pages * this.guest.pageSizeBytes);
          this.f.add([...path, "size"], step.size, `at most ${held}, what ${step.name} still holds`);
        }
        allocation.pages -= pages ?? allocation.pages;
        if (allocation.pages <= 0) {
          this.live.splice(this.live.indexOf(allocation), 1);
          this.freedBy.set(step.name, index);
        }
      }
    } else if (pages !== null) {
      // Without a name, the most recently allocated pages go first, across allocations if need be.
      const releasable = this.usedPages() - this.bootPages;
      if (pages > releasable) {
        const held = formatSize(releasable * this.guest.pageSizeBytes);
        this.f.add(
          [...path, "size"],
          step.size,
          `at most ${held}, what earlier touch and dirty steps still hold`,
        );
      }
      let left = pages;
      while (left > 0 && this.live.length > 0) {
        const last = this.live[this.live.length - 1];
        if (last === undefined) break;
        const taken = Math.min(left, last.pages);
        last.pages -= taken;
        left -= taken;
        if (last.pages === 0) {
          this.live.pop();
          if (last.name !== null) this.freedBy.set(last.name, index);
        }
      }
    }
    return { kind: "free", name: step.name ?? null, bytes };
  }

  idle(index: number, step: NonNullable<WorkloadStepFile["idle"]>): WorkloadStep {
    const path = ["workload", index, "idle", "for"];
    const durationNs = step.for === undefined ? null : this.f.duration(path, step.for, false);
    return { kind: "idle", durationNs };
  }

  dirty(index: number, step: NonNullable<WorkloadStepFile["dirty"]>): WorkloadStep {
    const path = ["workload", index, "dirty"];
    const rateBytesPerSec = this.f.rate([...path, "rate"], step.rate, true);
    const durationNs = step.for === undefined ? null : this.f.duration([...path, "for"], step.for, false);
    const pattern = this.pattern(path, step);
    const threads = step.threads ?? DIRTY_THREADS_DEFAULT;
    if (threads > this.guest.vcpus) {
      this.f.add([...path, "threads"], threads, `an integer from 1 to ${this.guest.vcpus} (guest.vcpus)`);
    }

    let workingSetBytes: number | null = null;
    const hasSet = step["working-set"] !== undefined;
    const hasOver = step.over !== undefined;
    if (hasSet === hasOver) {
      this.f.add(path, step, "exactly one of working-set (a new allocation) or over (an earlier one)", "key");
    } else if (step["working-set"] !== undefined) {
      const text = step["working-set"];
      workingSetBytes = this.f.size([...path, "working-set"], text, true);
      this.checkNewName([...path, "name"], step.name);
      this.allocate([...path, "working-set"], text, workingSetBytes, step.name ?? null);
    } else if (step.over !== undefined) {
      this.checkExisting([...path, "over"], step.over);
      if (step.name !== undefined) {
        this.f.add(
          [...path, "name"],
          step.name,
          "no name: a dirty step over an earlier allocation makes no new one",
        );
      }
    }
    return {
      kind: "dirty",
      rateBytesPerSec,
      workingSetBytes,
      over: step.over ?? null,
      name: hasSet ? (step.name ?? null) : null,
      pattern,
      durationNs,
      threads,
    };
  }

  private pattern(path: Path, step: NonNullable<WorkloadStepFile["dirty"]>): DirtyPattern {
    const kind = step.pattern ?? DIRTY_PATTERN_DEFAULT;
    if (kind !== "hot-cold") {
      for (const field of ["hot-set", "hot-writes"] as const) {
        if (step[field] !== undefined) {
          this.f.add([...path, field], step[field], `no ${field} unless pattern is hot-cold`);
        }
      }
      return { kind };
    }
    const hot = step["hot-set"];
    const writes = step["hot-writes"];
    const needed = (field: string, example: string) =>
      this.f.add(
        [...path, field],
        MISSING,
        `a percentage like "${example}" (pattern hot-cold needs it)`,
        "parent",
      );
    if (hot === undefined) needed("hot-set", "10%");
    if (writes === undefined) needed("hot-writes", "90%");
    const hotFraction = hot === undefined ? 0 : this.percent([...path, "hot-set"], hot);
    if (hot !== undefined && (hotFraction <= 0 || hotFraction >= 1)) {
      this.f.add(
        [...path, "hot-set"],
        hot,
        "a percentage above 0% and below 100% (a hot part and a cold part)",
      );
    }
    const hotWriteFraction = writes === undefined ? 0 : this.percent([...path, "hot-writes"], writes);
    return { kind: "hot-cold", hotFraction, hotWriteFraction };
  }

  private percent(path: Path, text: string): number {
    const parsed = parsePercent(text);
    if (parsed.ok) return parsed.value;
    this.f.add(path, text, parsed.expected);
    return 0;
  }
}

function resolveWorkload(file: ScenarioFile, guest: GuestConfig, f: Findings): WorkloadStep[] {
  const resolver = new WorkloadResolver(guest, f);
  const steps: WorkloadStep[] = [];
  /** The first step that runs until the end of the scenario; nothing after it ever runs. */
  let endless: number | null = null;
  let reported = false;
  file.workload.forEach((item, index) => {
    // Only the first unreachable step: one fix (a `for`) clears the rest too.
    if (endless !== null && !reported) {
      f.add(
        ["workload", index],
        item,
        `no step after workload[${endless}], which runs until the end (give it a "for")`,
      );
      reported = true;
    }
    const step = resolveStep(resolver, index, item);
    if (step === null) return;
    steps.push(step);
    const unbounded = (step.kind === "idle" || step.kind === "dirty") && step.durationNs === null;
    if (unbounded && endless === null) endless = index;
  });
  return steps;
}

function resolveStep(resolver: WorkloadResolver, index: number, item: WorkloadStepFile): WorkloadStep | null {
  if (item.boot !== undefined) return resolver.boot(index, item.boot);
  if (item.touch !== undefined) return resolver.touch(index, item.touch);
  if (item.free !== undefined) return resolver.free(index, item.free);
  if (item.idle !== undefined) return resolver.idle(index, item.idle);
  if (item.dirty !== undefined) return resolver.dirty(index, item.dirty);
  return null;
}

function resolveHost(file: ScenarioFile, f: Findings): HostConfig {
  const host = { ...HOST_DEFAULTS, ...file.host } satisfies Section<"host">;
  const at = (key: keyof typeof host): Path => ["host", key];
  const ns = (key: Exclude<keyof typeof host, "cores" | "send-copy-rate" | "receive-copy-rate">) =>
    f.duration(at(key), host[key], false);
  return {
    cores: host.cores,
    zeroPageScanNs: ns("zero-page-scan"),
    dataPageScanNs: ns("data-page-scan"),
    pageOverheadNs: ns("page-overhead"),
    sendCopyBytesPerSec: f.rate(at("send-copy-rate"), host["send-copy-rate"], true),
    receiveCopyBytesPerSec: f.rate(at("receive-copy-rate"), host["receive-copy-rate"], true),
    receiveZeroPageNs: ns("receive-zero-page"),
    bitmapSyncNsPerPage: ns("bitmap-sync-per-page"),
    dirtyLogStartNsPerPage: ns("dirty-log-start-per-page"),
    setupFixedNs: ns("setup-fixed"),
    deviceStateNs: ns("device-state-time"),
  };
}

function resolveNetwork(file: ScenarioFile, f: Findings): NetworkConfig {
  const network = { ...NETWORK_DEFAULTS, ...file.network } satisfies Section<"network">;
  if (network["tcp-ip-header"] >= network.mtu) {
    f.add(["network", "tcp-ip-header"], network["tcp-ip-header"], `an integer below mtu (${network.mtu})`);
  }
  return {
    bandwidthBytesPerSec: f.rate(["network", "bandwidth"], network.bandwidth, true),
    // A zero RTT would make the socket-buffer cap (buffer / RTT) infinite.
    rttNs: f.duration(["network", "rtt"], network.rtt, true),
    mtuBytes: network.mtu,
    frameOverheadBytes: network["frame-overhead"],
    tcpIpHeaderBytes: network["tcp-ip-header"],
    socketBufferBytes: f.size(["network", "socket-buffer"], network["socket-buffer"], true),
    packetLossRate: f.lossRate(["network", "packet-loss"], network["packet-loss"]),
    tcpTimeoutNs: f.duration(["network", "tcp-timeout"], network["tcp-timeout"], true),
  };
}

type TransportFile = NonNullable<ScenarioFile["transport"]>;
/** Compression's defaults depend on the method, so they are not in TRANSPORT_DEFAULTS. */
type CompressionKey = "compression-ratio" | "compress-rate" | "decompress-rate";

function resolveCompression(t: TransportFile, f: Findings): MultifdCompression {
  const method = t["multifd-compression"] ?? TRANSPORT_DEFAULTS["multifd-compression"];
  if (method === "none") return { method };
  const c = { ...COMPRESSION_DEFAULTS[method], ...t };
  const at = (key: CompressionKey): Path => ["transport", key];
  return {
    method,
    ratio: c["compression-ratio"],
    compressBytesPerSec: f.rate(at("compress-rate"), c["compress-rate"], true),
    decompressBytesPerSec: f.rate(at("decompress-rate"), c["decompress-rate"], true),
  };
}

/**
 * A packet holds whole pages (QEMU: MULTIFD_PACKET_SIZE is a multiple of the target page size); checked
 * only for multifd, so a guest with large pages need not size packets it never sends.
 */
function packetSize(written: string | undefined, used: boolean, pageSizeBytes: number, f: Findings): number {
  const path = ["transport", "multifd-packet-size"];
  const text = written ?? TRANSPORT_DEFAULTS["multifd-packet-size"];
  const bytes = f.size(path, text, true);
  if (!used || !isPageSize(pageSizeBytes) || bytes <= 0) return bytes;
  if (bytes < pageSizeBytes || bytes % pageSizeBytes !== 0) {
    const why = written === undefined ? ` (${text} is the default; set ${path.join(".")})` : "";
    f.add(path, text, `a multiple of page-size (${formatSize(pageSizeBytes)})${why}`);
  }
  return bytes;
}

function resolveTransport(file: ScenarioFile, guest: GuestConfig, f: Findings): TransportConfig {
  const given = file.transport ?? {};
  const t = { ...TRANSPORT_DEFAULTS, ...given } satisfies Required<Omit<TransportFile, CompressionKey>>;
  const at = (key: keyof TransportFile): Path => ["transport", key];
  const ns = (key: "tls-handshake" | "daemon-message-cost" | "multifd-handoff") =>
    f.duration(at(key), t[key], false);
  const multifd = (file.migration?.transport ?? MIGRATION_DEFAULTS.transport) === "multifd";
  return {
    tlsEncryptBytesPerSec: f.rate(at("tls-encrypt-rate"), t["tls-encrypt-rate"], true),
    tlsDecryptBytesPerSec: f.rate(at("tls-decrypt-rate"), t["tls-decrypt-rate"], true),
    tlsHandshakeNs: ns("tls-handshake"),
    tlsHandshakeRtts: t["tls-handshake-rtts"],
    tlsRecordOverheadBytes: t["tls-record-overhead"],
    daemonCopyBytesPerSec: f.rate(at("daemon-copy-rate"), t["daemon-copy-rate"], true),
    daemonMessageNs: ns("daemon-message-cost"),
    rpcMessageBytes: f.size(at("rpc-message-size"), t["rpc-message-size"], true),
    rpcHeaderBytes: t["rpc-header"],
    daemonTls: t["daemon-tls"],
    daemonKeepaliveIntervalNs: f.duration(
      at("daemon-keepalive-interval"),
      t["daemon-keepalive-interval"],
      true,
    ),
    daemonKeepaliveCount: t["daemon-keepalive-count"],
    rpcWindow: t["rpc-window"],
    multifdChannels: t["multifd-channels"],
    multifdPacketBytes: packetSize(given["multifd-packet-size"], multifd, guest.pageSizeBytes, f),
    multifdHandoffNs: ns("multifd-handoff"),
    multifdTls: t["multifd-tls"],
    multifdCompression: resolveCompression(given, f),
  };
}

/** The given parameters only, in the core's units, with QEMU's range checks (migrate_params_check). */
function resolveParameters(path: Path, given: ParametersFile, f: Findings): Partial<MigrationParameters> {
  const out: Partial<MigrationParameters> = {};
  const bandwidth = given["max-bandwidth"];
  if (bandwidth !== undefined) {
    const at = [...path, "max-bandwidth"];
    const parsed = parseRate(bandwidth);
    if (!parsed.ok) f.add(at, bandwidth, parsed.expected);
    // QEMU reads 0 as "no limit"; hintmig wants the limit spelt out.
    else if (parsed.value <= 0) f.add(at, bandwidth, "a rate above zero (for no limit, give the link rate)");
    out.maxBandwidthBytesPerSec = parsed.ok ? parsed.value : 0;
  }
  const downtime = given["downtime-limit"];
  if (downtime !== undefined) {
    out.downtimeLimitNs = f.duration([...path, "downtime-limit"], downtime, false);
    if (out.downtimeLimitNs > MAX_DOWNTIME_LIMIT_NS) {
      f.add([...path, "downtime-limit"], downtime, "a duration of at most 2000s (QEMU's limit)");
    }
  }
  if (given["cpu-throttle-initial"] !== undefined) out.cpuThrottleInitial = given["cpu-throttle-initial"];
  if (given["cpu-throttle-increment"] !== undefined)
    out.cpuThrottleIncrement = given["cpu-throttle-increment"];
  if (given["max-cpu-throttle"] !== undefined) out.maxCpuThrottle = given["max-cpu-throttle"];
  if (given["throttle-trigger-threshold"] !== undefined) {
    out.throttleTriggerThreshold = given["throttle-trigger-threshold"];
  }
  return out;
}

/** QEMU refuses a max-cpu-throttle below cpu-throttle-initial, judged on the parameters once applied. */
function checkThrottle(path: Path, params: MigrationParameters, given: ParametersFile, f: Findings): void {
  if (params.maxCpuThrottle >= params.cpuThrottleInitial) return;
  if (given["max-cpu-throttle"] !== undefined) {
    f.add(
      [...path, "max-cpu-throttle"],
      given["max-cpu-throttle"],
      `an integer from cpu-throttle-initial (${params.cpuThrottleInitial}) to 99`,
    );
  } else {
    f.add(
      [...path, "cpu-throttle-initial"],
      given["cpu-throttle-initial"],
      `an integer from 1 to max-cpu-throttle (${params.maxCpuThrottle})`,
    );
  }
}

function resolveMigration(file: ScenarioFile, f: Findings): MigrationConfig {
  const migration = { ...MIGRATION_DEFAULTS, ...file.migration } satisfies Section<"migration">;
  const capabilities = { ...CAPABILITY_DEFAULTS, ...file.migration?.capabilities };
  const given = { ...PARAMETER_DEFAULTS, ...file.migration?.parameters } satisfies Required<ParametersFile>;
  const path = ["migration", "parameters"];
  const resolved = resolveParameters(path, given, f);
  // Every key was given (defaults under the file's values), so none of these fallbacks is taken.
  const parameters: MigrationParameters = {
    maxBandwidthBytesPerSec: resolved.maxBandwidthBytesPerSec ?? 0,
    downtimeLimitNs: resolved.downtimeLimitNs ?? 0,
    cpuThrottleInitial: resolved.cpuThrottleInitial ?? given["cpu-throttle-initial"],
    cpuThrottleIncrement: resolved.cpuThrottleIncrement ?? given["cpu-throttle-increment"],
    maxCpuThrottle: resolved.maxCpuThrottle ?? given["max-cpu-throttle"],
    throttleTriggerThreshold: resolved.throttleTriggerThreshold ?? given["throttle-trigger-threshold"],
  };
  checkThrottle(path, parameters, given, f);
  return {
    startNs: f.duration(["migration", "start"], migration.start, false),
    transport: migration.transport,
    capabilities: {
      "auto-converge": capabilities["auto-converge"],
      "postcopy-ram": capabilities["postcopy-ram"],
      "postcopy-preempt": capabilities["postcopy-preempt"],
    },
    parameters,
    maxPasses: migration["max-passes"],
  };
}

/**
 * A block of the buddy allocator: a power of two from one page to MAX_ORDER-1 (1024 pages). A default is
 * checked only when the feature that uses it is on, so a guest with large pages need not set blocks it never
 * hints or reports.
 */
function blockSize(
  key: "hint-block" | "reporting-block",
  written: string | undefined,
  used: boolean,
  pageSizeBytes: number,
  f: Findings,
): number {
  const path = ["balloon", key];
  const text = written ?? BALLOON_DEFAULTS[key];
  const bytes = f.size(path, text, false);
  // An invalid page size is reported at guest.page-size; blocks measured in it would only repeat that.
  if (!isPageSize(pageSizeBytes) || (written === undefined && !used)) return bytes;
  const maxBytes = pageSizeBytes * MAX_BLOCK_PAGES;
  if (bytes < pageSizeBytes || bytes > maxBytes || !isPowerOfTwo(bytes)) {
    const why = written === undefined ? ` (${text} is the default; set ${path.join(".")})` : "";
    f.add(
      path,
      text,
      `a power of two from ${formatSize(pageSizeBytes)} (page-size) to ${formatSize(maxBytes)} ` +
        `(${MAX_BLOCK_PAGES} pages, the buddy allocator's MAX_ORDER-1)${why}`,
    );
  }
  return bytes;
}

function resolveBalloon(file: ScenarioFile, guest: GuestConfig, f: Findings): BalloonConfig {
  const balloon = { ...BALLOON_DEFAULTS, ...file.balloon } satisfies Section<"balloon">;
  const ns = (
    key:
      | "hint-block-cost"
      | "config-latency"
      | "iothread-latency"
      | "hint-cost"
      | "reporting-delay"
      | "discard-cost",
  ) => f.duration(["balloon", key], balloon[key], false);
  const hint = balloon["free-page-hint"];
  const reporting = balloon["free-page-reporting"];
  const queue = balloon["virtqueue-size"];
  // The schema has the range; virtio's split rings also need a power of two.
  if (!isPowerOfTwo(queue)) {
    f.add(["balloon", "virtqueue-size"], queue, "a power of two from 2 to 32768 (virtio's queue sizes)");
  }
  const block = (key: "hint-block" | "reporting-block", used: boolean) =>
    blockSize(key, file.balloon?.[key], used, guest.pageSizeBytes, f);
  return {
    freePageHint: hint,
    freePageReporting: reporting,
    hintBlockBytes: block("hint-block", hint),
    hintBlockGuestNs: ns("hint-block-cost"),
    configLatencyNs: ns("config-latency"),
    virtqueueSize: queue,
    iothreadLatencyNs: ns("iothread-latency"),
    hintHostNs: ns("hint-cost"),
    reportingBlockBytes: block("reporting-block", reporting),
    reportingDelayNs: ns("reporting-delay"),
    reportingCapacity: balloon["reporting-capacity"],
    discardNsPerPage: ns("discard-cost"),
  };
}

/** Every fault is a bug in free-page hinting: one switched on without hinting would inject nothing. */
function resolveFaults(file: ScenarioFile, balloon: BalloonConfig, f: Findings): FaultConfig {
  const faults = { ...FAULT_DEFAULTS, ...file.faults } satisfies Section<"faults">;
  if (!balloon.freePageHint) {
    for (const key of Object.keys(faults) as (keyof typeof faults)[]) {
      if (faults[key]) {
        f.add(
          ["faults", key],
          true,
          "false unless balloon.free-page-hint is on (the fault is in free-page hinting)",
        );
      }
    }
  }
  return {
    hintsAfterSync: faults["hints-after-sync"],
    hintsClearDirtyLog: faults["hints-clear-dirty-log"],
    lazyDirtyLogClear: faults["lazy-dirty-log-clear"],
  };
}

/** A switch policy without postcopy-ram would silently never switch: say so instead. */
function resolvePostcopy(file: ScenarioFile, migration: MigrationConfig, f: Findings): PostcopyConfig {
  const postcopy = { ...POSTCOPY_DEFAULTS, ...file.postcopy };
  if (!migration.capabilities["postcopy-ram"]) {
    for (const key of ["switch-after-passes", "switch-when-stuck"] as const) {
      const given = file.postcopy?.[key];
      if (given !== undefined && given !== false) {
        f.add(["postcopy", key], given, "to be left out unless migration.capabilities.postcopy-ram is true");
      }
    }
  }
  const ns = (key: "local-fault-cost" | "place-page-cost" | "request-cost") =>
    f.duration(["postcopy", key], postcopy[key], false);
  return {
    switchAfterPasses: file.postcopy?.["switch-after-passes"] ?? null,
    switchWhenStuck: postcopy["switch-when-stuck"],
    freePagePolicy: postcopy["free-page-policy"],
    localFaultNs: ns("local-fault-cost"),
    placePageNs: ns("place-page-cost"),
    requestNs: ns("request-cost"),
    recoveryRtts: postcopy["recovery-rtts"],
  };
}

function resolveCommands(
  file: ScenarioFile,
  migration: MigrationConfig,
  transport: TransportConfig,
  f: Findings,
): Command[] {
  const channels = migration.transport === "multifd" ? transport.multifdChannels : null;
  const timed = (file.commands ?? []).map((command, index) => ({
    command,
    index,
    atNs: f.duration(["commands", index, "at"], command.at, false),
  }));
  // Array.prototype.sort is stable: commands at the same time keep the file's order.
  timed.sort((a, b) => a.atNs - b.atNs);
  const running = { ...migration.parameters };
  const commands: Command[] = [];
  for (const { command, index, atNs } of timed) {
    const given = command["migrate-set-parameters"];
    if (given !== undefined) {
      const path = ["commands", index, "migrate-set-parameters"];
      const parameters = resolveParameters(path, given, f);
      Object.assign(running, parameters);
      checkThrottle(path, running, given, f);
      commands.push({ atNs, kind: "migrate-set-parameters", parameters });
    } else if (command.migrate_cancel !== undefined) {
      if (atNs < migration.startNs) {
        f.add(
          ["commands", index, "at"],
          command.at,
          `a time at or after migration.start (${formatDuration(migration.startNs)}): before it nothing is migrating`,
        );
      }
      commands.push({ atNs, kind: "migrate_cancel" });
    } else if (command["link-bandwidth"] !== undefined) {
      const path = ["commands", index, "link-bandwidth", "bandwidth"];
      const bandwidthBytesPerSec = f.rate(path, command["link-bandwidth"].bandwidth, true);
      commands.push({ atNs, kind: "link-bandwidth", bandwidthBytesPerSec });
    } else if (command["packet-loss"] !== undefined) {
      const given = command["packet-loss"];
      const path = ["commands", index, "packet-loss"];
      const rate = f.lossRate([...path, "rate"], given.rate);
      commands.push({
        atNs,
        kind: "packet-loss",
        rate,
        channel: channelOf(path, given.channel, channels, f),
      });
    } else {
      const onLink = (["link-down", "link-up", "connection-reset"] as const).find(
        (k) => command[k] !== undefined,
      );
      if (onLink !== undefined) {
        const path = ["commands", index, onLink];
        const channel = channelOf(path, command[onLink]?.channel, channels, f);
        commands.push({ atNs, kind: onLink, channel });
        continue;
      }
      const kind = (["migrate-start-postcopy", "source-fail"] as const).find((k) => command[k] !== undefined);
      if (kind === undefined) continue;
      if (kind === "migrate-start-postcopy" && !migration.capabilities["postcopy-ram"]) {
        f.add(
          ["commands", index, kind],
          {},
          "migration.capabilities.postcopy-ram to be true first (QEMU refuses migrate-start-postcopy without it)",
        );
      }
      commands.push({ atNs, kind });
    }
  }
  return commands;
}

/** A network event's channel: one of the multifd channels, and only when the transport is multifd. */
function channelOf(
  path: Path,
  channel: number | undefined,
  channels: number | null,
  f: Findings,
): number | null {
  if (channel === undefined) return null;
  if (channels === null) {
    f.add(
      [...path, "channel"],
      channel,
      "no channel: only the multifd transport has channels (migration.transport)",
    );
  } else if (channel >= channels) {
    f.add(
      [...path, "channel"],
      channel,
      `a channel from 0 to ${channels - 1} (transport.multifd-channels is ${channels})`,
    );
  }
  return channel;
}

function resolveSimulation(file: ScenarioFile, f: Findings): SimulationConfig {
  const simulation = { ...SIMULATION_DEFAULTS, ...file.simulation } satisfies Section<"simulation">;
  const ns = (key: Exclude<keyof typeof simulation, "max-step-pages">) =>
    f.duration(["simulation", key], simulation[key], true);
  return {
    maxStepNs: ns("max-step"),
    maxStepPages: simulation["max-step-pages"],
    maxMigrationNs: ns("max-migration-time"),
    sampleIntervalNs: ns("sample-interval"),
  };
}

/**
 * Resolves a schema-valid document (the base, or the base with a variant's `set` merged in). The config is
 * meaningful only when there are no findings.
 */
export function resolveScenario(file: ScenarioFile): { config: ResolvedScenario; findings: Finding[] } {
  const f = new Findings();
  const guest = resolveGuest(file, f);
  const workload = resolveWorkload(file, guest, f);
  const migration = resolveMigration(file, f);
  const balloon = resolveBalloon(file, guest, f);
  const transport = resolveTransport(file, guest, f);
  const config: ResolvedScenario = {
    scenarioName: file.name,
    seed: file.seed ?? DEFAULT_SEED,
    guest,
    workload,
    host: resolveHost(file, f),
    network: resolveNetwork(file, f),
    transport,
    migration,
    balloon,
    faults: resolveFaults(file, balloon, f),
    postcopy: resolvePostcopy(file, migration, f),
    commands: resolveCommands(file, migration, transport, f),
    simulation: resolveSimulation(file, f),
  };
  return { config, findings: f.list };
}

/** Published figures in the units the report compares in: ms and KiB (what QEMU prints as "kbytes"). */
export function resolveExpect(path: Path, expect: ExpectFile): { expect: Expectation; findings: Finding[] } {
  const f = new Findings();
  const ms = (key: "total-time" | "downtime") => {
    const text = expect[key];
    return text === undefined ? null : f.duration([...path, key], text, false) / 1e6;
  };
  const transferred = expect.transferred;
  return {
    expect: {
      totalTimeMs: ms("total-time"),
      transferredKiB:
        transferred === undefined ? null : f.size([...path, "transferred"], transferred, false) / 1024,
      downtimeMs: ms("downtime"),
    },
    findings: f.list,
  };
}
