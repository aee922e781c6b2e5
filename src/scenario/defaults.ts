// Every default of a scenario file, in one place and in the file's own units, so the schema can show them to
// editors and the loader applies them with the same parsers as written values. Host costs are a first
// calibration against the 2016 free-page-hinting RFC (DESIGN.md §3); change them here, with a reason.

// Plain `as const` objects, not typed from the schema: the schema shows these as defaults, so typing them
// from it would be circular. resolve.ts spreads them under the file's values into Required<...> sections,
// which makes the compiler check that every optional field has a default of the right type.

/** The seed used when neither the file nor the caller gives one; fixed, never the clock. */
export const DEFAULT_SEED = 1;

export const GUEST_DEFAULTS = {
  // x86's base page; hugepage-backed guests set 2MiB or 1GiB.
  "page-size": "4KiB",
  // The smallest guest; workloads that keep several vCPUs busy say so.
  vcpus: 1,
  // CPU registers, virtio rings and device models of a small VM: a few hundred KiB in QEMU's device stream.
  "device-state": "512KiB",
} as const;

export const HOST_DEFAULTS = {
  // A common two-socket-era server slice; the RFC's E5-2699 v3 had more, but migration uses few threads.
  cores: 8,
  // buffer_is_zero over 4 KiB, including faulting in host memory the guest never touched.
  "zero-page-scan": "800ns",
  // A data page is rejected after its first bytes differ from zero.
  "data-page-scan": "40ns",
  // Bitmap walk, page header and accounting for every page sent, zero or not.
  "page-overhead": "100ns",
  // One core copying into the socket (send syscall, kernel copy): well above a 10 GbE link.
  "send-copy-rate": "8GiB/s",
  // The destination's copy into guest RAM, slower than the send side because it also faults pages in.
  "receive-copy-rate": "6GiB/s",
  // Destination cost of a zero-page marker: map or clear one page.
  "receive-zero-page": "50ns",
  // KVM_GET_DIRTY_LOG and the merge into the migration bitmap: a few word operations per page.
  "bitmap-sync-per-page": "2ns",
  // Setup: allocating the bitmap and write-protecting guest memory for dirty logging.
  "dirty-log-start-per-page": "10ns",
  // Connection, migration header and device negotiation, independent of guest size.
  "setup-fixed": "20ms",
  // Saving device state on the source and loading it on the destination.
  "device-state-time": "30ms",
} as const;

export const NETWORK_DEFAULTS = {
  // 10 GbE, the RFC's X540-AT2 testbed link.
  bandwidth: "10Gbit/s",
  // Two hosts on one switch.
  rtt: "100us",
  // Standard Ethernet MTU; jumbo frames are 9000.
  mtu: 1500,
  // Ethernet header 14, FCS 4, preamble 8, inter-frame gap 12.
  "frame-overhead": 38,
  // IPv4 20 + TCP 20 + timestamps option 12, as Linux sends by default.
  "tcp-ip-header": 52,
  // Linux's autotuned send buffer for one stream is a few MiB; with the RTT it bounds one stream's rate.
  "socket-buffer": "4MiB",
} as const;

/** QEMU's own defaults (migration/options.c), so a scenario that sets nothing behaves like plain QEMU. */
export const PARAMETER_DEFAULTS = {
  // MAX_THROTTLE (128 << 20); libvirt lifts it, so scenarios of managed hosts set the link rate.
  "max-bandwidth": "128MiB/s",
  // DEFAULT_MIGRATE_SET_DOWNTIME.
  "downtime-limit": "300ms",
  // DEFAULT_MIGRATE_CPU_THROTTLE_INITIAL.
  "cpu-throttle-initial": 20,
  // DEFAULT_MIGRATE_CPU_THROTTLE_INCREMENT.
  "cpu-throttle-increment": 10,
  // DEFAULT_MIGRATE_MAX_CPU_THROTTLE.
  "max-cpu-throttle": 99,
  // DEFAULT_MIGRATE_THROTTLE_TRIGGER_THRESHOLD.
  "throttle-trigger-threshold": 50,
} as const;

export const CAPABILITY_DEFAULTS = {
  // Off in QEMU unless asked for.
  "auto-converge": false,
} as const;

export const MIGRATION_DEFAULTS = {
  // One second of guest life before `migrate`, enough for a scripted boot.
  start: "1s",
  // One TCP stream, QEMU to QEMU: the only transport so far.
  transport: "plain",
  capabilities: CAPABILITY_DEFAULTS,
  parameters: PARAMETER_DEFAULTS,
  // hintmig policy: a bound on precopy passes so a non-converging guest still ends (QEMU has none).
  "max-passes": 30,
} as const;

/** The virtio-balloon device (drivers/virtio/virtio_balloon.c, mm/page_reporting.c, QEMU's virtio-balloon.c). */
export const BALLOON_DEFAULTS = {
  // Off in QEMU unless the device is created with free-page-hint=on.
  "free-page-hint": false,
  // Off in QEMU unless the device is created with free-page-reporting=on.
  "free-page-reporting": false,
  // Linux's virtio_balloon takes MAX_ORDER-1 blocks: 4 MiB on x86.
  "hint-block": "4MiB",
  // alloc_pages of a 4 MiB block plus virtqueue_add_inbuf, a few microseconds.
  "hint-block-cost": "2us",
  // Config-change interrupt plus scheduling the driver's work item.
  "config-latency": "100us",
  // QEMU creates the free-page queue with VIRTQUEUE_MAX_SIZE entries.
  "virtqueue-size": 1024,
  // Waking QEMU's I/O thread after a kick.
  "iothread-latency": "50us",
  // qemu_guest_free_page_hint clears 1024 bits (a 4 MiB block of 4 KiB pages) and counts them.
  "hint-cost": "1us",
  // Pageblock order: 2 MiB on x86, the smallest block free-page reporting reports.
  "reporting-block": "2MiB",
  // PAGE_REPORTING_DELAY (2 * HZ): the pass runs two seconds after enough memory was freed.
  "reporting-delay": "2s",
  // PAGE_REPORTING_CAPACITY: blocks per report.
  "reporting-capacity": 32,
  // madvise(MADV_DONTNEED) per 4 KiB page: unmapping and freeing it on the host.
  "discard-cost": "50ns",
} as const;

/** Injected bugs: none unless a scenario asks, so every ordinary run shows correct hinting. */
export const FAULT_DEFAULTS = {
  // A correct host applies a hint only while its state machine allows, so none from before a sync lands after it.
  "hints-after-sync": false,
  // A correct host clears hinted pages in the migration bitmap, never in KVM's dirty log.
  "hints-clear-dirty-log": false,
  // A correct host clears the dirty-log chunks of hinted pages before the next sync.
  "lazy-dirty-log-clear": false,
} as const;

export const SIMULATION_DEFAULTS = {
  // Guest writes interleave with sending at this grain: QEMU's MAX_WAIT, the longest one
  // ram_save_iterate call sends before the migration thread looks around again. Commands still take
  // effect at their exact time (a step never crosses one).
  "max-step": "50ms",
  // 256 MiB of 4 KiB pages per step bounds the memory one step touches.
  "max-step-pages": 65536,
  // A run still migrating after an hour of simulated time has failed to converge.
  "max-migration-time": "1h",
  // Ten samples a second draw smooth charts without bloating results.
  "sample-interval": "100ms",
} as const;

/** The pattern of a `dirty` step that names none: QEMU's dirty-rate meaning (see DirtyPattern). */
export const DIRTY_PATTERN_DEFAULT = "uniform";

/** A `dirty` step keeps one vCPU busy unless it says more. */
export const DIRTY_THREADS_DEFAULT = 1;
