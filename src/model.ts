// The contract between the scenario loader, the pure simulation core and the adapters (CLI, server,
// reports). The loader turns a scenario file into a SimConfig (all numbers, units in the names); the core
// turns a SimConfig into a VariantResult. Nothing here does I/O.

/** Simulated time in nanoseconds. Integers up to 2^53 ns (104 days) are exact. */
export type Ns = number;

export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;

// ---------------------------------------------------------------------------------------------------------
// Configuration (what a scenario resolves to)
// ---------------------------------------------------------------------------------------------------------

export interface GuestConfig {
  /** Guest RAM; a multiple of the page size. */
  memoryBytes: number;
  /** Target page size; 4096 on x86. */
  pageSizeBytes: number;
  vcpus: number;
  /** Device state (CPU registers, virtio queues, ...) sent after the last RAM at stop-and-copy. */
  deviceStateBytes: number;
}

/**
 * Which pages of the working set a dirtying step writes, in order.
 * - `uniform`: a random-order sweep: every page of the working set is written once per sweep, in a random
 *   order, so the pages dirtied in any interval t are min(W, D·t) (QEMU's dirty-rate meaning and the
 *   classic geometric-series precopy model), scattered over the whole set.
 * - `sequential`: the same sweep in address order (mempress, memset-like jobs).
 * - `hot-cold`: two uniform sweeps: `hotWriteFraction` of the writes go to the first `hotFraction` of the
 *   working set, the rest to the remainder.
 */
export type DirtyPattern =
  | { kind: "uniform" }
  | { kind: "sequential" }
  | { kind: "hot-cold"; hotFraction: number; hotWriteFraction: number };

/** One step of the guest's scripted life; steps run in order, each starting when the previous ends. */
export type WorkloadStep =
  /** The guest kernel and services come up holding `dataBytes` of non-zero memory. Takes no time. */
  | { kind: "boot"; dataBytes: number }
  /** A job allocates `bytes` and writes every page, at `rateBytesPerSec` (null = at once). */
  | { kind: "touch"; bytes: number; name: string | null; rateBytesPerSec: number | null }
  /**
   * Frees a named allocation (all of it, or `bytes` of it), or, without a name, the `bytes` most recently
   * allocated. Freed pages keep their stale contents, as in Linux without init_on_free. Takes no time.
   */
  | { kind: "free"; name: string | null; bytes: number | null }
  /**
   * Writes pages of a working set at a rate. The set is a new allocation of `workingSetBytes` (written
   * once when allocated), or the existing allocation named `over`. `durationNs` null = until the end.
   * `threads` is the number of vCPUs kept busy (host CPU accounting, auto-converge throttles them).
   */
  | {
      kind: "dirty";
      rateBytesPerSec: number;
      workingSetBytes: number | null;
      over: string | null;
      name: string | null;
      pattern: DirtyPattern;
      durationNs: Ns | null;
      threads: number;
    }
  /** Nothing is written. `durationNs` null = until the end. */
  | { kind: "idle"; durationNs: Ns | null };

/**
 * Per-stage costs on the hosts. Each stage runs on a named thread; throughput is set by the busiest
 * thread or the link. Defaults are in src/scenario/defaults.ts with their justification.
 */
export interface HostConfig {
  /** Cores per host (source and destination are alike). */
  cores: number;
  /** Migration thread: read a whole zero page to find it is zero (buffer_is_zero over one page). */
  zeroPageScanNs: number;
  /** Migration thread: reject a non-zero page after its first bytes. */
  dataPageScanNs: number;
  /** Migration thread: per page sent, whatever its kind (bitmap walk, header, bookkeeping). */
  pageOverheadNs: number;
  /** Migration thread: rate of copying page data into the socket (send syscall, kernel copy). */
  sendCopyBytesPerSec: number;
  /** Destination: rate of reading the stream and copying pages into guest RAM. */
  receiveCopyBytesPerSec: number;
  /** Destination: per zero-page marker (map or clear a page). */
  receiveZeroPageNs: number;
  /** Migration thread: KVM_GET_DIRTY_LOG and merging into the migration bitmap, per guest page. */
  bitmapSyncNsPerPage: number;
  /** Migration thread at setup: bitmap allocation and write-protecting guest memory, per guest page. */
  dirtyLogStartNsPerPage: number;
  /** Fixed setup work: connection, migration header, device negotiation. */
  setupFixedNs: number;
  /** Saving device state on the source and loading it on the destination, together. */
  deviceStateNs: number;
}

/**
 * The virtio-balloon device and its guest driver (QEMU `-device virtio-balloon,free-page-hint=on`, Linux
 * drivers/virtio/virtio_balloon.c and mm/page_reporting.c). Defaults in src/scenario/defaults.ts.
 */
export interface BalloonConfig {
  /** `free-page-hint`: the guest reports free pages on request, and the source skips them. */
  freePageHint: boolean;
  /** `free-page-reporting`: the guest reports free blocks continuously; the host discards them. */
  freePageReporting: boolean;
  /** Block the hinting driver takes off the free lists per report (alloc_pages of MAX_ORDER-1: 4 MiB). */
  hintBlockBytes: number;
  /** Guest CPU per hinted block: alloc_pages plus adding the buffer to the virtqueue. */
  hintBlockGuestNs: Ns;
  /** From the host writing a new cmd_id into the device config until the guest's driver acts on it. */
  configLatencyNs: Ns;
  /** Entries in the free-page virtqueue; the driver keeps one free for the cmd_id. */
  virtqueueSize: number;
  /** From a kick until the host's I/O thread starts popping entries. */
  iothreadLatencyNs: Ns;
  /** Host I/O thread CPU per hint: clearing the block's bits in the migration bitmap. */
  hintHostNs: Ns;
  /** Smallest free block free-page reporting reports (pageblock order: 2 MiB). */
  reportingBlockBytes: number;
  /** Delay between a large free and the reporting pass (PAGE_REPORTING_DELAY, 2 s). */
  reportingDelayNs: Ns;
  /** Blocks per report (PAGE_REPORTING_CAPACITY, 32). */
  reportingCapacity: number;
  /** Host CPU per discarded page (madvise DONTNEED). */
  discardNsPerPage: Ns;
}

/** Known ways to get free-page hinting wrong, injected to show what the verifier catches. */
export interface FaultConfig {
  /** The host applies hints whatever the state machine says, so hints queued before a sync land after it. */
  hintsAfterSync: boolean;
  /** Hints clear KVM's dirty log instead of the migration bitmap. */
  hintsClearDirtyLog: boolean;
  /** Dirty-log chunks of hinted pages are never cleared, so the next sync reports them dirty again. */
  lazyDirtyLogClear: boolean;
}

export interface NetworkConfig {
  /** Line rate of the link in bytes per second (10 Gbit/s = 1.25e9). */
  bandwidthBytesPerSec: number;
  /** Round-trip time. */
  rttNs: Ns;
  /** IP MTU; with `frameOverheadBytes` and `tcpIpHeaderBytes` it sets TCP goodput. */
  mtuBytes: number;
  /** Ethernet framing per packet: header, FCS, preamble, inter-frame gap (38 bytes). */
  frameOverheadBytes: number;
  /** IP + TCP headers with timestamps (52 bytes). */
  tcpIpHeaderBytes: number;
  /** Send socket buffer; with the RTT it caps a single stream's rate at buffer / RTT. */
  socketBufferBytes: number;
  /** Fraction of packets lost (0 to below 1): less goodput, and TCP's loss-limited rate per stream. */
  packetLossRate: number;
  /**
   * How long the kernel retransmits unacknowledged data before a write fails with ETIMEDOUT (Linux's
   * tcp_retries2, or TCP_USER_TIMEOUT when set): how long a direct stream takes to notice a dead link.
   */
  tcpTimeoutNs: Ns;
}

// --- Transports (issue 5) -------------------------------------------------------------------------------
// Which transport carries the stream, and the parameters of every transport. Each transport is an ops table
// in src/transport/; defaults, with the reason for each, are in src/scenario/defaults.ts. Parameters of a
// transport that is not in use are kept but ignored, as QEMU keeps multifd-channels without multifd.

/**
 * - `plain`: one TCP stream, QEMU to QEMU.
 * - `tls`: the same stream through TLS; the migration thread encrypts, the receiving thread decrypts.
 * - `tunnelled`: QEMU → local daemon (libvirtd) → remote daemon → QEMU, framed as RPC stream messages on the
 *   daemons' own connection, optionally TLS; one daemon thread per host does the copies.
 * - `rpc`: as tunnelled, but every message is an RPC call answered by a reply, at most `rpcWindow` calls in
 *   flight (0 = fire-and-forget: no replies awaited).
 * - `multifd`: `multifd-channels` TCP streams, each with a send and a receive thread that detect zero pages,
 *   compress and encrypt; the migration thread only walks the bitmap and hands out packets of pages.
 */
export type TransportName = "plain" | "tls" | "tunnelled" | "rpc" | "multifd";

/** QEMU's `multifd-compression`; zlib and zstd run in the channel threads at QEMU's level 1. */
export type MultifdCompressionMethod = "none" | "zlib" | "zstd";

export type MultifdCompression =
  | { method: "none" }
  | {
      method: "zlib" | "zstd";
      /** Page bytes in ÷ compressed bytes out (2.9 means a 4 KiB page goes out as ~1.4 KiB). */
      ratio: number;
      /** One channel thread compressing, in uncompressed bytes per second. */
      compressBytesPerSec: number;
      /** One receive thread decompressing, in uncompressed bytes per second. */
      decompressBytesPerSec: number;
    };

export interface TransportConfig {
  /** TLS, one core: encrypting (record framing and the extra copy included), plaintext bytes per second. */
  tlsEncryptBytesPerSec: number;
  /** TLS, one core: decrypting, plaintext bytes per second. */
  tlsDecryptBytesPerSec: number;
  /** CPU of one TLS handshake (key exchange, signature, certificate checks), both ends together. */
  tlsHandshakeNs: Ns;
  /** Round trips of one TLS handshake (1 for TLS 1.3, 2 for TLS 1.2 and earlier). */
  tlsHandshakeRtts: number;
  /** Bytes a TLS record adds to its up-to-16-KiB payload (header, tag, padding). */
  tlsRecordOverheadBytes: number;
  /** tunnelled/rpc: one daemon thread moving bytes from one socket to another (read + write, two copies). */
  daemonCopyBytesPerSec: number;
  /** tunnelled/rpc: daemon thread CPU per message on each host (event loop wake-up, header, syscalls). */
  daemonMessageNs: Ns;
  /** tunnelled/rpc: stream payload per RPC message. */
  rpcMessageBytes: number;
  /** tunnelled/rpc: bytes of framing per message (length word and RPC header). */
  rpcHeaderBytes: number;
  /** tunnelled/rpc: the daemons' connection runs TLS; the cipher runs on the daemon threads. */
  daemonTls: boolean;
  /** tunnelled/rpc: libvirt's keepalive_interval: a probe after this long without a message. */
  daemonKeepaliveIntervalNs: Ns;
  /** tunnelled/rpc: libvirt's keepalive_count: unanswered probes before the connection is closed. */
  daemonKeepaliveCount: number;
  /** rpc: calls in flight before the sender waits for a reply (1 = stop-and-wait; 0 = fire-and-forget). */
  rpcWindow: number;
  /** multifd: QEMU's `multifd-channels`, one TCP stream and one thread per side each. */
  multifdChannels: number;
  /** multifd: bytes of pages per packet (QEMU's MULTIFD_PACKET_SIZE, 512 KiB). */
  multifdPacketBytes: number;
  /** multifd: migration thread CPU to hand one packet to a channel (queue, semaphore post). */
  multifdHandoffNs: Ns;
  /** multifd: every channel runs TLS (QEMU with `tls-creds` set); the cipher runs in the channel threads. */
  multifdTls: boolean;
  multifdCompression: MultifdCompression;
}
// --- end of transports ----------------------------------------------------------------------------------

/** QEMU migration parameters (migrate-set-parameters), in the core's units. */
export interface MigrationParameters {
  /** `max-bandwidth`: rate limit of the migration stream. */
  maxBandwidthBytesPerSec: number;
  /** `downtime-limit`: the longest pause precopy may plan for. */
  downtimeLimitNs: Ns;
  /** `cpu-throttle-initial`, percent. */
  cpuThrottleInitial: number;
  /** `cpu-throttle-increment`, percent. */
  cpuThrottleIncrement: number;
  /** `max-cpu-throttle`, percent. */
  maxCpuThrottle: number;
  /** `throttle-trigger-threshold`, percent: dirtied / transferred bytes ratio that counts as too fast. */
  throttleTriggerThreshold: number;
}

/** QEMU migration capabilities (migrate-set-capabilities). */
export interface MigrationCapabilities {
  "auto-converge": boolean;
  /** Postcopy may be started (by command or by the postcopy policy). */
  "postcopy-ram": boolean;
  /** Urgent (faulted) pages get their own channel instead of queueing behind the background stream. */
  "postcopy-preempt": boolean;
}

/**
 * What happens to pages hinted free (never sent) once the guest runs on the destination:
 * - `zero-markers` (hintmig): before the switch the source sends zero-range markers for them; the
 *   destination maps zero pages locally on first touch and never asks the source.
 * - `disable-hinting` (QEMU today): free-page hinting is off whenever postcopy-ram is on.
 * - `fault-to-source`: the destination asks the source, which refuses pages not in its bitmap; the
 *   vCPU stays blocked until postcopy ends.
 * - `assume-zero`: the destination treats every page it lacks as zero, stale discarded pages included.
 */
export type FreePagePolicy = "zero-markers" | "disable-hinting" | "fault-to-source" | "assume-zero";

export interface PostcopyConfig {
  /** Switch after this many precopy passes (bitmap syncs after setup); null = not by count. */
  switchAfterPasses: number | null;
  /** Switch instead of a forced stop-and-copy when precopy reaches max-passes without converging. */
  switchWhenStuck: boolean;
  freePagePolicy: FreePagePolicy;
  /** Destination: resolving a fault locally with a zero page (UFFDIO_ZEROPAGE), no network involved. */
  localFaultNs: Ns;
  /** Destination: placing a received page into guest RAM (UFFDIO_COPY). */
  placePageNs: Ns;
  /** Source: finding and queueing one requested page (the return-path handler). */
  requestNs: Ns;
  /** Round trips of the recovery handshake after a cut link comes back (postcopy-recover). */
  recoveryRtts: number;
}

export interface MigrationConfig {
  /** When the `migrate` command is issued, on the scenario clock (the guest booted at 0). */
  startNs: Ns;
  transport: TransportName;
  capabilities: MigrationCapabilities;
  parameters: MigrationParameters;
  /** hintmig policy, not QEMU: after this many bitmap syncs, stop the guest and copy whatever remains. */
  maxPasses: number;
}

/**
 * Network events name the whole link (`channel` null) or one multifd channel's stream (0-based), as when
 * one flow's path through the network breaks.
 */
export type Command =
  | { atNs: Ns; kind: "migrate-set-parameters"; parameters: Partial<MigrationParameters> }
  | { atNs: Ns; kind: "migrate_cancel" }
  | { atNs: Ns; kind: "migrate-start-postcopy" }
  /** Packets stop getting through / get through again (precopy stalls, then fails; postcopy pauses). */
  | { atNs: Ns; kind: "link-down"; channel: number | null }
  | { atNs: Ns; kind: "link-up"; channel: number | null }
  /** A TCP reset: the connection is gone at once, and the next write says so. */
  | { atNs: Ns; kind: "connection-reset"; channel: number | null }
  /** The link's line rate changes (a congested or renegotiated link). */
  | { atNs: Ns; kind: "link-bandwidth"; bandwidthBytesPerSec: number }
  /** A fraction of packets is lost from now on (0 ends it). */
  | { atNs: Ns; kind: "packet-loss"; rate: number; channel: number | null }
  /** The source host dies. */
  | { atNs: Ns; kind: "source-fail" };

export type NetworkEvent = Extract<Command, { channel: number | null }>;

/** Knobs of the simulation itself, not of the modelled system. */
export interface SimulationConfig {
  /** Longest interval the migration thread is advanced in one step; guest writes interleave at this grain. */
  maxStepNs: Ns;
  /** Most pages taken in one step (bounds memory per step). */
  maxStepPages: number;
  /** A migration still running at this simulated time fails with a clear reason instead of looping on. */
  maxMigrationNs: Ns;
  /** Time-series sample interval for the result's timeline. */
  sampleIntervalNs: Ns;
}

/** Published figures a variant is compared against (the `expect` block). */
export interface Expectation {
  totalTimeMs: number | null;
  transferredKiB: number | null;
  downtimeMs: number | null;
}

/** One fully resolved variant: everything the core needs, nothing it must look up. */
export interface SimConfig {
  scenarioName: string;
  variantName: string;
  /**
   * null when the variant migrates one guest. Otherwise the guest's name: the configs of one variant's
   * guests come one after another, and the core migrates them at once between the same two hosts.
   */
  guestName: string | null;
  seed: number;
  guest: GuestConfig;
  workload: WorkloadStep[];
  host: HostConfig;
  network: NetworkConfig;
  transport: TransportConfig;
  migration: MigrationConfig;
  balloon: BalloonConfig;
  faults: FaultConfig;
  postcopy: PostcopyConfig;
  commands: Command[];
  simulation: SimulationConfig;
  expect: Expectation | null;
}

// ---------------------------------------------------------------------------------------------------------
// Results (query-migrate's shape and names, plus what QEMU lacks)
// ---------------------------------------------------------------------------------------------------------

/** Final statuses; `postcopy-active`, `postcopy-paused` and `postcopy-recover` appear in progress only. */
export type MigrationStatus = "completed" | "cancelled" | "failed";

/** query-migrate's `ram` section; bytes and pages, as QEMU counts them. */
export interface RamStats {
  /** Bytes put on the wire for RAM: page data, zero-page markers and their headers. */
  transferred: number;
  /** Guest RAM size in bytes. */
  total: number;
  /** Pages found to be zero and sent as markers. */
  duplicate: number;
  /** Pages sent whole. */
  normal: number;
  /** Bytes of page data sent whole (normal × page-size). */
  "normal-bytes": number;
  /** Bitmap syncs (setup's first sync included). */
  "dirty-sync-count": number;
  /** Pages the destination asked for during postcopy. */
  "postcopy-requests": number;
  "page-size": number;
  /** Dirty pages left when the migration ended (0 when completed). */
  remaining: number;
  /** Dirty pages per second measured at the last sync. */
  "dirty-pages-rate": number;
  /** Average goodput of the RAM stream, Mbit/s. */
  mbps: number;
  /** hintmig: pages skipped because the guest reported them free. */
  "skipped-free": number;
}

/** One interval between two bitmap syncs. */
export interface PassRecord {
  /** 1-based; pass 1 is the bulk stage. */
  pass: number;
  /**
   * bulk: the first walk over all RAM; iterative: later passes; stop-and-copy: with the guest paused;
   * postcopy-switch: paused for the switch; postcopy: the background push while the guest runs there.
   */
  stage: "bulk" | "iterative" | "stop-and-copy" | "postcopy-switch" | "postcopy";
  "start-ms": number;
  "end-ms": number;
  /** Dirty pages in the migration bitmap when the pass began. */
  "dirty-pages-at-start": number;
  "normal-pages": number;
  "duplicate-pages": number;
  "skipped-free-pages": number;
  "transferred-bytes": number;
  /** Guest vCPU throttle during the pass, percent. */
  "cpu-throttle-percentage": number;
}

export interface TimelineSample {
  "time-ms": number;
  /** Cumulative RAM bytes on the wire. */
  transferred: number;
  /** Dirty pages still to send (migration bitmap). */
  remaining: number;
  /** Wire throughput over the last sample interval, Mbit/s. */
  mbps: number;
  /** Source host CPU busy over the last interval, percent of all cores. */
  "source-cpu-percent": number;
  /** Destination host CPU busy over the last interval, percent of all cores. */
  "destination-cpu-percent": number;
}

export interface CpuStats {
  cores: number;
  /** Source host idle over the migration, percent of all cores' time. */
  "host-idle-percent": number;
  "destination-idle-percent": number;
  /** Busy time per named thread, ms. */
  threads: Record<string, number>;
}

export interface VerificationResult {
  /** Pages compared between source and destination. */
  "checked-pages": number;
  mismatches: number;
  /** Up to 16 mismatching pages, with what each side holds. */
  "mismatched-pages": { page: number; source: number; destination: number }[];
  /** What was checked: the destination (completed) or the source only (cancelled/failed). */
  scope: "destination" | "source";
  /**
   * Where the guest runs at the end: on the destination after a completed migration, on the source after a
   * cancelled or failed one (resumed if it was paused), nowhere when it was lost with a failed host. A lost
   * guest counts all its pages as mismatches. Always set by the core; for several guests, nowhere if any
   * guest was lost, destination if all completed, else source.
   */
  "guest-running-on"?: "destination" | "source" | "nowhere";
  /** Reads on the destination during postcopy that saw content the guest had not written there. */
  "corrupted-reads"?: number;
}

export interface Comparison {
  "total-time": { published: number; model: number; "error-percent": number } | null;
  "transferred-kb": { published: number; model: number; "error-percent": number } | null;
  downtime: { published: number; model: number; "error-percent": number } | null;
}

/** What postcopy did, when it ran. */
export interface PostcopyResult {
  "free-page-policy": FreePagePolicy;
  /** ms from the migrate command to the switch (the guest paused) and to the end of postcopy. */
  "switch-ms": number;
  "end-ms": number;
  /** Pages the destination discarded at the switch (it held stale copies). */
  "discarded-pages": number;
  /** Pages covered by zero-range markers (hinted free, never sent). */
  "zero-marker-pages": number;
  /** Page faults on the destination: answered by the source, resolved locally, refused. */
  faults: { requested: number; local: number; refused: number };
  /** Fault latency percentiles over requested pages, ms. */
  "fault-latency-ms": { p50: number; p90: number; p99: number; max: number };
  /** QEMU's postcopy-blocktime: ms during which every vCPU was blocked on a fault. */
  "postcopy-blocktime": number;
  /** QEMU's postcopy-vcpu-blocktime: ms each vCPU spent blocked. */
  "postcopy-vcpu-blocktime": number[];
  /** The same time by what was waited for: pages from the source, local zero pages, refused pages. */
  "blocktime-by-cause-ms": { requested: number; local: number; refused: number };
  /** RAM bytes sent before the switch, while paused, and after (the background push and requests). */
  "precopy-bytes": number;
  "downtime-bytes": number;
  "postcopy-bytes": number;
  /** Times the link was cut (postcopy-paused) and recovered (postcopy-recover). */
  pauses: number;
}

/** How a migration that did not complete ended: what happened, when, and when the source knew. */
export interface InterruptionResult {
  cause: "migrate_cancel" | "link-down" | "connection-reset";
  /** ms from the migrate command to the command or the network event. */
  "event-ms": number;
  /** ms from the migrate command to the `cancelled` or `failed` status. */
  "status-ms": number;
  /** status-ms − event-ms: the cancel latency, or how long the failure took to detect. */
  "latency-ms": number;
  /** Where it was noticed: the host, the stream and the layer of the transport. */
  host: "source" | "destination";
  channel: string;
  layer: string;
  /** Bytes put on the wire for this migration, all lost when the destination discards its copy. */
  "wasted-bytes": number;
  /** Pages the destination had received and discards. */
  "discarded-pages": number;
}

export interface VariantResult {
  name: string;
  status: MigrationStatus;
  "error-desc"?: string;
  /** ms from the migrate command to the end (completed, cancelled or failed). */
  "total-time": number;
  /** ms the guest was paused (stop-and-copy). */
  downtime: number;
  /** ms from the migrate command until the first pass began. */
  "setup-time": number;
  "cpu-throttle-percentage": number;
  ram: RamStats;
  passes: PassRecord[];
  timeline: TimelineSample[];
  cpu: CpuStats;
  verification: VerificationResult;
  postcopy?: PostcopyResult;
  /** When the migration was cancelled or failed on a network fault. */
  interruption?: InterruptionResult;
  expect?: Comparison;
  /**
   * When several guests migrated at once: each guest's own result (named after the guest). The variant's
   * fields are then the totals: bytes and pages summed, times from the first migrate command to the last
   * end, the longest downtime, the hosts' CPU with every guest's threads, the worst status.
   */
  guests?: VariantResult[];
}

export interface RunResult {
  scenario: string;
  seed: number;
  variants: VariantResult[];
}

/** query-migrate's `status` while a migration runs, and its final statuses. */
export type ProgressStatus =
  | "setup"
  | "active"
  | "device"
  | "cancelling"
  | "postcopy-active"
  | "postcopy-paused"
  | "postcopy-recover"
  | MigrationStatus;

/** What the core reports while it runs (for progress bars and server-sent events). */
export interface Progress {
  variant: string;
  status: ProgressStatus;
  /** The guest, when the variant migrates several. */
  guest?: string;
  simTimeMs: number;
  pass: number;
  remainingPages: number;
  totalPages: number;
  transferredBytes: number;
}
