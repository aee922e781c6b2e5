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
  // A healthy LAN loses next to nothing.
  "packet-loss": "0%",
  // Linux's tcp_retries2 = 15: "a hypothetical timeout of 924.6 seconds" (ip-sysctl.rst). QEMU sets no
  // TCP_USER_TIMEOUT on its migration sockets, so a direct stream hangs this long on a dead link.
  "tcp-timeout": "924.6s",
} as const;

/** Parameters of every transport (the `transport` section); each applies only to its own transports. */
export const TRANSPORT_DEFAULTS = {
  // TLS's cipher on one core, as QEMU's stream sees it (GnuTLS records, the copy into them and the AES-GCM
  // cipher): the one published figure, ~300 MB/s on one stream under a 500 MB/s link (DESIGN §1).
  "tls-encrypt-rate": "300MB/s",
  // AES-GCM decrypts at about the rate it encrypts; without a measurement of its own, the same.
  "tls-decrypt-rate": "300MB/s",
  // An ECDHE key exchange, an RSA-2048 signature and certificate checks: a couple of ms of CPU.
  "tls-handshake": "2ms",
  // TLS 1.3 (GnuTLS's default since 3.6.5) completes in one round trip.
  "tls-handshake-rtts": 1,
  // TLS 1.3 AES-GCM record: 5-byte header, 1 content-type byte, 16-byte tag.
  "tls-record-overhead": 22,
  // A daemon thread's read from one socket and write to another, 64 KiB at a time; with the TLS default
  // it gives ~260 MB/s tunnelled, the ~2 Gbit/s OpenStack reported for tunnelling on 10 Gbit/s (nova's
  // release note making live_migration_tunnelled default to False).
  "daemon-copy-rate": "2GB/s",
  // Per message on each daemon: an event-loop wake-up, a read and a write syscall, the header.
  "daemon-message-cost": "5us",
  // libvirt's tunnel reads QEMU's stream 64 KiB at a time (TUNNEL_SEND_BUF_SIZE), one message each.
  "rpc-message-size": "64KiB",
  // libvirt's RPC framing: a 4-byte length and a 24-byte header (program, version, procedure, type,
  // serial, status).
  "rpc-header": 28,
  // Tunnelling exists to encrypt through the daemons' TLS connection (qemu+tls://).
  "daemon-tls": true,
  // libvirtd.conf's keepalive_interval and keepalive_count: the connection is closed after about
  // interval × (count + 1) = 30 s without a message from the peer.
  "daemon-keepalive-interval": "5s",
  "daemon-keepalive-count": 5,
  // A libvirt RPC call waits for its reply before the next: stop-and-wait.
  "rpc-window": 1,
  // QEMU's default multifd-channels.
  "multifd-channels": 2,
  // MULTIFD_PACKET_SIZE: 128 pages of 4 KiB.
  "multifd-packet-size": "512KiB",
  // Queueing a packet for a channel and posting its semaphore.
  "multifd-handoff": "2us",
  // QEMU uses TLS on its channels only when tls-creds is set.
  "multifd-tls": false,
  // QEMU's default multifd-compression.
  "multifd-compression": "none",
} as const;

/**
 * What compression costs and gains at QEMU's default levels (multifd-zlib-level and multifd-zstd-level are
 * 1), unless a scenario gives its own: zstd's published benchmark, one core on the Silesia corpus (zstd 1.4.0
 * and zlib 1.2.11 at level 1). Guest memory compresses as well as its contents do; set the ratio for a guest
 * whose data is known.
 */
export const COMPRESSION_DEFAULTS = {
  zlib: { "compression-ratio": 2.743, "compress-rate": "110MB/s", "decompress-rate": "440MB/s" },
  zstd: { "compression-ratio": 2.884, "compress-rate": "530MB/s", "decompress-rate": "1360MB/s" },
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
  // Off in QEMU unless asked for; both sides must enable it before `migrate`.
  "postcopy-ram": false,
  // Off in QEMU unless asked for (QEMU 8.0+).
  "postcopy-preempt": false,
} as const;

/** Postcopy's policy and the destination's costs (used only with postcopy-ram). */
export const POSTCOPY_DEFAULTS = {
  // Precopy still converges where it can; postcopy starts by command unless a scenario asks otherwise.
  "switch-when-stuck": false,
  // hintmig's answer; the other three policies are there to compare against.
  "free-page-policy": "zero-markers",
  // UFFDIO_ZEROPAGE on first touch: a fault round trip through the kernel, no network.
  "local-fault-cost": "2us",
  // UFFDIO_COPY of a 4 KiB page into guest RAM, waking the vCPU.
  "place-page-cost": "1us",
  // The source's return-path thread looking up and queueing a requested page.
  "request-cost": "1us",
  // postcopy-recover: the destination re-sends its received bitmap and the source resumes, a few round trips.
  "recovery-rtts": 3,
} as const;

export const MIGRATION_DEFAULTS = {
  // One second of guest life before `migrate`, enough for a scripted boot.
  start: "1s",
  // One TCP stream, QEMU to QEMU: what `migrate tcp:...` does unless TLS or multifd is asked for.
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
