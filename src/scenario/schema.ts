// The scenario file's one schema: it validates files, gives the TypeScript type and is exported as JSON
// Schema for editors (scenario.schema.json). Keys are kebab-case, QEMU's names where QEMU has one. Rules a
// schema cannot say well (exactly one of working-set/over, memory a multiple of the page size, ...) live in
// resolve.ts. No unions here: anyOf makes validators report every branch's errors, so a step's "exactly
// one key" is minProperties/maxProperties over optional keys instead.

import Type, {
  ObjectOptions,
  type Static,
  type TObjectOptions,
  type TSchema,
  type TSchemaOptions,
} from "typebox";
import {
  BALLOON_DEFAULTS,
  CAPABILITY_DEFAULTS,
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
import { DURATION_PATTERN, PERCENT_PATTERN, RATE_PATTERN, SIZE_PATTERN } from "./units.ts";

const SIZE_UNITS =
  "A size: a number then B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).";
const RATE_UNITS =
  "A rate: a size unit per second (MiB/s, MB/s, ...) or bit/s, Kbit/s, Mbit/s, Gbit/s, Tbit/s (powers of 1000).";
const DURATION_UNITS = "A duration: a number then ns, us (or µs), ms, s, min or h.";
const PERCENT_UNITS = "A percentage: a number from 0 to 100 then %.";

function size(description: string, options: TSchemaOptions = {}) {
  return Type.String({ description: `${description} ${SIZE_UNITS}`, pattern: SIZE_PATTERN, ...options });
}

function rate(description: string, options: TSchemaOptions = {}) {
  return Type.String({ description: `${description} ${RATE_UNITS}`, pattern: RATE_PATTERN, ...options });
}

function duration(description: string, options: TSchemaOptions = {}) {
  return Type.String({
    description: `${description} ${DURATION_UNITS}`,
    pattern: DURATION_PATTERN,
    ...options,
  });
}

function percent(description: string, options: TSchemaOptions = {}) {
  return Type.String({
    description: `${description} ${PERCENT_UNITS}`,
    pattern: PERCENT_PATTERN,
    ...options,
  });
}

/** Closed objects everywhere: a misspelt key must be an error, never a silently ignored default. */
function closed<P extends Parameters<typeof Type.Object>[0]>(properties: P, options: TObjectOptions) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

const Name = (description: string) => Type.String({ description, minLength: 1, maxLength: 100 });

const AllocationName = Name(
  "Names this allocation so a later `free` or `dirty.over` can refer to it; unique among live allocations.",
);

const Guest = closed(
  {
    memory: size("Guest RAM; a multiple of page-size.", { examples: ["8GiB"] }),
    "page-size": Type.Optional(
      size("Target page size: a power of two from 4KiB to 1GiB.", {
        default: GUEST_DEFAULTS["page-size"],
      }),
    ),
    vcpus: Type.Optional(
      Type.Integer({ description: "vCPUs.", minimum: 1, maximum: 1024, default: GUEST_DEFAULTS.vcpus }),
    ),
    "device-state": Type.Optional(
      size("Device state sent after the last RAM at stop-and-copy (registers, virtio queues).", {
        default: GUEST_DEFAULTS["device-state"],
      }),
    ),
  },
  { description: "The guest VM." },
);

const Boot = closed(
  {
    data: size("Non-zero memory the kernel and services hold once booted (the rest of RAM is zero).", {
      examples: ["400MB"],
    }),
  },
  { description: "The guest comes up holding `data` of non-zero memory. Takes no time." },
);

const Touch = closed(
  {
    size: size("Bytes allocated and written once, every page.", { examples: ["7.6GiB"] }),
    name: Type.Optional(AllocationName),
    rate: Type.Optional(
      rate("How fast the pages are written; absent = all at once.", { examples: ["2GiB/s"] }),
    ),
  },
  { description: "A job allocates memory and writes every page of it." },
);

const Free = closed(
  {
    name: Type.Optional(Name("The allocation to free (all of it, or `size` of it).")),
    size: Type.Optional(size("Bytes to free; without `name`, the most recently allocated bytes.")),
  },
  {
    description:
      "Frees memory; the pages keep their stale contents (Linux without init_on_free). Takes no time. " +
      "Give name, size or both.",
    minProperties: 1,
  },
);

const Idle = closed(
  { for: Type.Optional(duration("How long; absent = until the end, and no step may follow.")) },
  { description: "The guest writes nothing." },
);

const Dirty = closed(
  {
    rate: rate("Bytes written per second (QEMU's dirty rate).", { examples: ["120MiB/s"] }),
    "working-set": Type.Optional(
      size(
        "Size of a new allocation to write (written once when allocated). Exactly one of working-set, over.",
      ),
    ),
    over: Type.Optional(
      Name(
        "Write over this earlier `touch` or `dirty` allocation instead. Exactly one of working-set, over.",
      ),
    ),
    pattern: Type.Optional(
      Type.Enum(["uniform", "sequential", "hot-cold"], {
        description:
          "Which pages are written: uniform (random-order sweeps), sequential (address order), hot-cold " +
          "(needs hot-set and hot-writes).",
        default: DIRTY_PATTERN_DEFAULT,
      }),
    ),
    "hot-set": Type.Optional(percent("hot-cold only: the share of the working set that is hot.")),
    "hot-writes": Type.Optional(percent("hot-cold only: the share of writes that go to the hot set.")),
    for: Type.Optional(duration("How long; absent = until the end, and no step may follow.")),
    name: Type.Optional(AllocationName),
    threads: Type.Optional(
      Type.Integer({
        description: "vCPUs kept busy writing (host CPU accounting; auto-converge throttles them).",
        minimum: 1,
        maximum: 1024,
        default: DIRTY_THREADS_DEFAULT,
      }),
    ),
  },
  { description: "Writes pages of a working set at a rate." },
);

const WorkloadStep = closed(
  {
    boot: Type.Optional(Boot),
    touch: Type.Optional(Touch),
    free: Type.Optional(Free),
    idle: Type.Optional(Idle),
    dirty: Type.Optional(Dirty),
  },
  {
    description: "One step of the guest's life, exactly one of boot, touch, free, idle, dirty.",
    minProperties: 1,
    maxProperties: 1,
  },
);

const Host = closed(
  {
    cores: Type.Optional(
      Type.Integer({
        description: "Cores per host (source and destination alike).",
        minimum: 1,
        maximum: 4096,
        default: HOST_DEFAULTS.cores,
      }),
    ),
    "zero-page-scan": Type.Optional(
      duration("Per page: reading a whole zero page to find it is zero.", {
        default: HOST_DEFAULTS["zero-page-scan"],
      }),
    ),
    "data-page-scan": Type.Optional(
      duration("Per page: rejecting a non-zero page after its first bytes.", {
        default: HOST_DEFAULTS["data-page-scan"],
      }),
    ),
    "page-overhead": Type.Optional(
      duration("Per page sent, whatever its kind: bitmap walk, header, bookkeeping.", {
        default: HOST_DEFAULTS["page-overhead"],
      }),
    ),
    "send-copy-rate": Type.Optional(
      rate("Copying page data into the socket on the source.", {
        default: HOST_DEFAULTS["send-copy-rate"],
      }),
    ),
    "receive-copy-rate": Type.Optional(
      rate("Reading the stream and copying pages into guest RAM on the destination.", {
        default: HOST_DEFAULTS["receive-copy-rate"],
      }),
    ),
    "receive-zero-page": Type.Optional(
      duration("Per zero-page marker on the destination.", {
        default: HOST_DEFAULTS["receive-zero-page"],
      }),
    ),
    "bitmap-sync-per-page": Type.Optional(
      duration("Per guest page at each bitmap sync (KVM_GET_DIRTY_LOG and merge).", {
        default: HOST_DEFAULTS["bitmap-sync-per-page"],
      }),
    ),
    "dirty-log-start-per-page": Type.Optional(
      duration("Per guest page at setup: bitmap allocation and write protection.", {
        default: HOST_DEFAULTS["dirty-log-start-per-page"],
      }),
    ),
    "setup-fixed": Type.Optional(
      duration("Fixed setup work: connection, header, device negotiation.", {
        default: HOST_DEFAULTS["setup-fixed"],
      }),
    ),
    "device-state-time": Type.Optional(
      duration("Saving device state on the source and loading it on the destination.", {
        default: HOST_DEFAULTS["device-state-time"],
      }),
    ),
  },
  { description: "Per-stage costs on the hosts; every field has a calibrated default." },
);

const Network = closed(
  {
    bandwidth: Type.Optional(rate("Line rate of the link.", { default: NETWORK_DEFAULTS.bandwidth })),
    rtt: Type.Optional(duration("Round-trip time.", { default: NETWORK_DEFAULTS.rtt })),
    mtu: Type.Optional(
      Type.Integer({
        description: "IP MTU in bytes.",
        minimum: 576,
        maximum: 65536,
        default: NETWORK_DEFAULTS.mtu,
      }),
    ),
    "frame-overhead": Type.Optional(
      Type.Integer({
        description: "Ethernet framing per packet in bytes: header, FCS, preamble, inter-frame gap.",
        minimum: 0,
        maximum: 1024,
        default: NETWORK_DEFAULTS["frame-overhead"],
      }),
    ),
    "tcp-ip-header": Type.Optional(
      Type.Integer({
        description: "IP and TCP headers per packet in bytes, options included.",
        minimum: 0,
        maximum: 1024,
        default: NETWORK_DEFAULTS["tcp-ip-header"],
      }),
    ),
    "socket-buffer": Type.Optional(
      size("Send socket buffer; with the RTT it caps one stream at buffer / RTT.", {
        default: NETWORK_DEFAULTS["socket-buffer"],
      }),
    ),
    "packet-loss": Type.Optional(
      percent("Packets lost: less goodput, and each stream limited by TCP's response to loss.", {
        default: NETWORK_DEFAULTS["packet-loss"],
      }),
    ),
    "tcp-timeout": Type.Optional(
      duration(
        "How long TCP retransmits before a write fails (tcp_retries2 or TCP_USER_TIMEOUT): how long a " +
          "direct stream takes to notice a dead link.",
        { default: NETWORK_DEFAULTS["tcp-timeout"] },
      ),
    ),
  },
  { description: "The link between source and destination." },
);

/** migrate-set-parameters in QEMU's names and ranges (migrate_params_check). */
function parameters(options: TObjectOptions) {
  return closed(
    {
      "max-bandwidth": Type.Optional(
        rate("Rate limit of the migration stream (QEMU's default is 128MiB/s).", {
          default: PARAMETER_DEFAULTS["max-bandwidth"],
        }),
      ),
      "downtime-limit": Type.Optional(
        duration("The longest pause precopy may plan for; at most 2000s.", {
          default: PARAMETER_DEFAULTS["downtime-limit"],
        }),
      ),
      "cpu-throttle-initial": Type.Optional(
        Type.Integer({
          description: "auto-converge: first throttle, percent.",
          minimum: 1,
          maximum: 99,
          default: PARAMETER_DEFAULTS["cpu-throttle-initial"],
        }),
      ),
      "cpu-throttle-increment": Type.Optional(
        Type.Integer({
          description: "auto-converge: throttle added at each sync that is still too fast, percent.",
          minimum: 1,
          maximum: 99,
          default: PARAMETER_DEFAULTS["cpu-throttle-increment"],
        }),
      ),
      "max-cpu-throttle": Type.Optional(
        Type.Integer({
          description: "auto-converge: highest throttle, percent; at least cpu-throttle-initial.",
          minimum: 1,
          maximum: 99,
          default: PARAMETER_DEFAULTS["max-cpu-throttle"],
        }),
      ),
      "throttle-trigger-threshold": Type.Optional(
        Type.Integer({
          description:
            "auto-converge: dirtied / transferred bytes in a pass, percent, above which to throttle.",
          minimum: 1,
          maximum: 100,
          default: PARAMETER_DEFAULTS["throttle-trigger-threshold"],
        }),
      ),
    },
    options,
  );
}

const Transport = closed(
  {
    "tls-encrypt-rate": Type.Optional(
      rate("TLS: one core encrypting the stream (records and copy included), in plaintext bytes.", {
        default: TRANSPORT_DEFAULTS["tls-encrypt-rate"],
      }),
    ),
    "tls-decrypt-rate": Type.Optional(
      rate("TLS: one core decrypting the stream, in plaintext bytes.", {
        default: TRANSPORT_DEFAULTS["tls-decrypt-rate"],
      }),
    ),
    "tls-handshake": Type.Optional(
      duration("TLS: CPU of one handshake (key exchange, signature, certificate checks).", {
        default: TRANSPORT_DEFAULTS["tls-handshake"],
      }),
    ),
    "tls-handshake-rtts": Type.Optional(
      Type.Integer({
        description: "TLS: round trips of one handshake (1 for TLS 1.3, 2 for TLS 1.2 and earlier).",
        minimum: 0,
        maximum: 10,
        default: TRANSPORT_DEFAULTS["tls-handshake-rtts"],
      }),
    ),
    "tls-record-overhead": Type.Optional(
      Type.Integer({
        description: "TLS: bytes each record adds to its 16 KiB of payload (header, tag, padding).",
        minimum: 0,
        maximum: 1024,
        default: TRANSPORT_DEFAULTS["tls-record-overhead"],
      }),
    ),
    "daemon-copy-rate": Type.Optional(
      rate("tunnelled, rpc: one daemon thread moving the stream from one socket to another.", {
        default: TRANSPORT_DEFAULTS["daemon-copy-rate"],
      }),
    ),
    "daemon-message-cost": Type.Optional(
      duration("tunnelled, rpc: daemon CPU per message on each host (wake-up, syscalls, header).", {
        default: TRANSPORT_DEFAULTS["daemon-message-cost"],
      }),
    ),
    "rpc-message-size": Type.Optional(
      size("tunnelled, rpc: stream payload per RPC message.", {
        default: TRANSPORT_DEFAULTS["rpc-message-size"],
      }),
    ),
    "rpc-header": Type.Optional(
      Type.Integer({
        description: "tunnelled, rpc: framing bytes per message (length word and RPC header).",
        minimum: 0,
        maximum: 65536,
        default: TRANSPORT_DEFAULTS["rpc-header"],
      }),
    ),
    "daemon-tls": Type.Optional(
      Type.Boolean({
        description: "tunnelled, rpc: the daemons' connection runs TLS (the cipher on the daemon threads).",
        default: TRANSPORT_DEFAULTS["daemon-tls"],
      }),
    ),
    "daemon-keepalive-interval": Type.Optional(
      duration("tunnelled, rpc: libvirt's keepalive_interval, a probe after this long without a message.", {
        default: TRANSPORT_DEFAULTS["daemon-keepalive-interval"],
      }),
    ),
    "daemon-keepalive-count": Type.Optional(
      Type.Integer({
        description:
          "tunnelled, rpc: libvirt's keepalive_count, unanswered probes before the daemon gives up.",
        minimum: 0,
        maximum: 1000,
        default: TRANSPORT_DEFAULTS["daemon-keepalive-count"],
      }),
    ),
    "rpc-window": Type.Optional(
      Type.Integer({
        description:
          "rpc: calls in flight before the sender waits for a reply; 1 = stop-and-wait, 0 = fire-and-forget.",
        minimum: 0,
        maximum: 65536,
        default: TRANSPORT_DEFAULTS["rpc-window"],
      }),
    ),
    "multifd-channels": Type.Optional(
      Type.Integer({
        description: "multifd: QEMU's multifd-channels, each a TCP stream with a thread on each host.",
        minimum: 1,
        maximum: 255,
        default: TRANSPORT_DEFAULTS["multifd-channels"],
      }),
    ),
    "multifd-packet-size": Type.Optional(
      size("multifd: page bytes per packet (QEMU's MULTIFD_PACKET_SIZE); a multiple of page-size.", {
        default: TRANSPORT_DEFAULTS["multifd-packet-size"],
      }),
    ),
    "multifd-handoff": Type.Optional(
      duration("multifd: migration thread CPU to hand one packet to a channel.", {
        default: TRANSPORT_DEFAULTS["multifd-handoff"],
      }),
    ),
    "multifd-tls": Type.Optional(
      Type.Boolean({
        description:
          "multifd: every channel runs TLS (QEMU with tls-creds), the cipher in the channel threads.",
        default: TRANSPORT_DEFAULTS["multifd-tls"],
      }),
    ),
    "multifd-compression": Type.Optional(
      Type.Enum(["none", "zlib", "zstd"], {
        description: "multifd: QEMU's multifd-compression, done in the channel threads.",
        default: TRANSPORT_DEFAULTS["multifd-compression"],
      }),
    ),
    "compression-ratio": Type.Optional(
      Type.Number({
        description:
          "multifd-compression zlib or zstd: page bytes in per compressed byte out. Default: 2.743 for " +
          "zlib, 2.884 for zstd (level 1 on the Silesia corpus).",
        minimum: 1,
        maximum: 1000,
      }),
    ),
    "compress-rate": Type.Optional(
      rate(
        "multifd-compression zlib or zstd: one channel thread compressing, in uncompressed bytes. " +
          "Default: 110MB/s for zlib, 530MB/s for zstd.",
      ),
    ),
    "decompress-rate": Type.Optional(
      rate(
        "multifd-compression zlib or zstd: one receive thread decompressing, in uncompressed bytes. " +
          "Default: 440MB/s for zlib, 1360MB/s for zstd.",
      ),
    ),
  },
  {
    description:
      "Parameters of every transport; each applies only when migration.transport uses it, so variants " +
      "can switch transports without removing the others' settings.",
  },
);

const Migration = closed(
  {
    start: Type.Optional(
      duration("When `migrate` is issued, on the scenario clock (the guest boots at 0).", {
        default: MIGRATION_DEFAULTS.start,
      }),
    ),
    transport: Type.Optional(
      Type.Enum(["plain", "tls", "tunnelled", "rpc", "multifd"], {
        description:
          "How the stream travels: plain = one TCP stream, QEMU to QEMU; tls = the same through TLS; " +
          "tunnelled = through the management daemons' connection; rpc = the same as RPC calls answered " +
          "per message (see transport.rpc-window); multifd = multifd-channels parallel streams. " +
          "Their parameters are in the top-level `transport` section.",
        default: MIGRATION_DEFAULTS.transport,
      }),
    ),
    capabilities: Type.Optional(
      closed(
        {
          "auto-converge": Type.Optional(
            Type.Boolean({
              description: "Throttle the guest's vCPUs when it dirties memory faster than it is sent.",
              default: CAPABILITY_DEFAULTS["auto-converge"],
            }),
          ),
          "postcopy-ram": Type.Optional(
            Type.Boolean({
              description:
                "Postcopy may start (migrate-start-postcopy, or the `postcopy` section's policy): the guest " +
                "moves to the destination early and fetches missing pages on demand.",
              default: CAPABILITY_DEFAULTS["postcopy-ram"],
            }),
          ),
          "postcopy-preempt": Type.Optional(
            Type.Boolean({
              description:
                "Requested pages get their own channel instead of queueing behind the background stream.",
              default: CAPABILITY_DEFAULTS["postcopy-preempt"],
            }),
          ),
        },
        { description: "migrate-set-capabilities." },
      ),
    ),
    parameters: Type.Optional(parameters({ description: "migrate-set-parameters before `migrate`." })),
    "max-passes": Type.Optional(
      Type.Integer({
        description:
          "hintmig policy, not QEMU: after this many bitmap syncs, stop the guest and copy the rest.",
        minimum: 1,
        maximum: 100000,
        default: MIGRATION_DEFAULTS["max-passes"],
      }),
    ),
  },
  { description: "The migration: when it starts, its transport, QEMU capabilities and parameters." },
);

const Balloon = closed(
  {
    "free-page-hint": Type.Optional(
      Type.Boolean({
        description:
          "QEMU's free-page-hint=on: at each bitmap sync the guest reports free pages, and the source skips them.",
        default: BALLOON_DEFAULTS["free-page-hint"],
      }),
    ),
    "free-page-reporting": Type.Optional(
      Type.Boolean({
        description:
          "QEMU's free-page-reporting=on: the guest reports free blocks continuously, and the host discards them.",
        default: BALLOON_DEFAULTS["free-page-reporting"],
      }),
    ),
    "hint-block": Type.Optional(
      size(
        "Block the hinting driver takes off the free lists per hint: a power of two from page-size to 1024 " +
          "pages (the buddy allocator's MAX_ORDER-1).",
        { default: BALLOON_DEFAULTS["hint-block"] },
      ),
    ),
    "hint-block-cost": Type.Optional(
      duration("Guest CPU per hinted block: alloc_pages plus adding the buffer to the virtqueue.", {
        default: BALLOON_DEFAULTS["hint-block-cost"],
      }),
    ),
    "config-latency": Type.Optional(
      duration("From the host writing a new cmd_id into the device config until the guest's driver acts.", {
        default: BALLOON_DEFAULTS["config-latency"],
      }),
    ),
    "virtqueue-size": Type.Optional(
      Type.Integer({
        description:
          "Entries in the free-page virtqueue, a power of two (virtio); the driver keeps one for the cmd_id.",
        minimum: 2,
        maximum: 32768,
        default: BALLOON_DEFAULTS["virtqueue-size"],
      }),
    ),
    "iothread-latency": Type.Optional(
      duration("From a kick until the host's I/O thread starts popping entries.", {
        default: BALLOON_DEFAULTS["iothread-latency"],
      }),
    ),
    "hint-cost": Type.Optional(
      duration("Host I/O thread CPU per hint: clearing the block's bits in the migration bitmap.", {
        default: BALLOON_DEFAULTS["hint-cost"],
      }),
    ),
    "reporting-block": Type.Optional(
      size("Smallest free block free-page reporting reports: a power of two from page-size to 1024 pages.", {
        default: BALLOON_DEFAULTS["reporting-block"],
      }),
    ),
    "reporting-delay": Type.Optional(
      duration("From a large free until the reporting pass runs (PAGE_REPORTING_DELAY).", {
        default: BALLOON_DEFAULTS["reporting-delay"],
      }),
    ),
    "reporting-capacity": Type.Optional(
      Type.Integer({
        description: "Blocks per report (PAGE_REPORTING_CAPACITY).",
        minimum: 1,
        maximum: 1024,
        default: BALLOON_DEFAULTS["reporting-capacity"],
      }),
    ),
    "discard-cost": Type.Optional(
      duration("Host CPU per page discarded after a report (madvise MADV_DONTNEED).", {
        default: BALLOON_DEFAULTS["discard-cost"],
      }),
    ),
  },
  {
    description:
      "The virtio-balloon device and its guest driver, in QEMU's property names where QEMU has one " +
      "(-device virtio-balloon,free-page-hint=on).",
  },
);

function fault(description: string, key: keyof typeof FAULT_DEFAULTS) {
  return Type.Optional(
    Type.Boolean({
      description: `${description} Needs balloon.free-page-hint.`,
      default: FAULT_DEFAULTS[key],
    }),
  );
}

const Faults = closed(
  {
    "hints-after-sync": fault(
      "The host applies hints whatever its state machine says, so hints queued before a sync land after it.",
      "hints-after-sync",
    ),
    "hints-clear-dirty-log": fault(
      "Hints clear KVM's dirty log instead of the migration bitmap.",
      "hints-clear-dirty-log",
    ),
    "lazy-dirty-log-clear": fault(
      "Dirty-log chunks of hinted pages are never cleared, so the next sync reports them dirty again.",
      "lazy-dirty-log-clear",
    ),
  },
  {
    description:
      "Known ways to get free-page hinting wrong, injected to show what the verifier catches; all off by default.",
  },
);

const Postcopy = closed(
  {
    "switch-after-passes": Type.Optional(
      Type.Integer({
        description: "Switch to postcopy after this many precopy passes (bitmap syncs after setup).",
        minimum: 1,
        maximum: 1_000_000,
      }),
    ),
    "switch-when-stuck": Type.Optional(
      Type.Boolean({
        description: "Switch to postcopy instead of a forced stop-and-copy when max-passes is reached.",
        default: POSTCOPY_DEFAULTS["switch-when-stuck"],
      }),
    ),
    "free-page-policy": Type.Optional(
      Type.Union(
        [
          Type.Literal("zero-markers"),
          Type.Literal("disable-hinting"),
          Type.Literal("fault-to-source"),
          Type.Literal("assume-zero"),
        ],
        {
          description:
            "Pages hinted free and never sent, once the guest runs on the destination: zero-markers " +
            "(zero-range markers at the switch), disable-hinting (QEMU: no hinting with postcopy), " +
            "fault-to-source (the source refuses them; the vCPU stalls), assume-zero (every missing page " +
            "taken as zero: wrong).",
          default: POSTCOPY_DEFAULTS["free-page-policy"],
        },
      ),
    ),
    "local-fault-cost": Type.Optional(
      duration("Destination: mapping a zero page on first touch, no network.", {
        default: POSTCOPY_DEFAULTS["local-fault-cost"],
      }),
    ),
    "place-page-cost": Type.Optional(
      duration("Destination: placing a received page (UFFDIO_COPY).", {
        default: POSTCOPY_DEFAULTS["place-page-cost"],
      }),
    ),
    "request-cost": Type.Optional(
      duration("Source: handling one page request on the return path.", {
        default: POSTCOPY_DEFAULTS["request-cost"],
      }),
    ),
    "recovery-rtts": Type.Optional(
      Type.Integer({
        description: "Round trips of the postcopy-recover handshake after a cut link returns.",
        minimum: 0,
        maximum: 1000,
        default: POSTCOPY_DEFAULTS["recovery-rtts"],
      }),
    ),
  },
  {
    description:
      "When postcopy starts and what the destination does then (needs migration.capabilities.postcopy-ram).",
  },
);

const noArguments = (description: string) =>
  Type.Optional(closed({}, { description: `${description} Write {}.` }));

const Channel = Type.Optional(
  Type.Integer({
    description: "One multifd channel (0-based) instead of the whole link.",
    minimum: 0,
    maximum: 254,
  }),
);

const onLink = (description: string) =>
  Type.Optional(closed({ channel: Channel }, { description: `${description} Write {} or { channel: N }.` }));

const Command = closed(
  {
    at: duration("When, on the scenario clock (the same clock as migration.start)."),
    "migrate-set-parameters": Type.Optional(
      parameters({ description: "Change parameters while migrating; at least one.", minProperties: 1 }),
    ),
    migrate_cancel: noArguments("Cancel the migration (refused once postcopy runs, as in QEMU)."),
    "migrate-start-postcopy": noArguments("Switch to postcopy now (needs the postcopy-ram capability)."),
    "link-down": onLink(
      "Packets stop getting through: precopy stalls and fails once the transport notices; postcopy pauses.",
    ),
    "link-up": onLink("Packets get through again: a stalled precopy goes on, postcopy recovers."),
    "connection-reset": onLink("A TCP reset: the connection is gone, and the next write says so."),
    "link-bandwidth": Type.Optional(
      closed(
        { bandwidth: rate("The link's new line rate.") },
        { description: "The link's line rate changes: { bandwidth: 1Gbit/s }." },
      ),
    ),
    "packet-loss": Type.Optional(
      closed(
        { rate: percent("Packets lost from now on; 0% ends the loss."), channel: Channel },
        { description: "A share of packets is lost: { rate: 1% } or { rate: 1%, channel: N }." },
      ),
    ),
    "source-fail": noArguments("The source host dies."),
  },
  {
    description:
      "A command or event at a time: `at` and exactly one of migrate-set-parameters, migrate_cancel, " +
      "migrate-start-postcopy, link-down, link-up, connection-reset, link-bandwidth, packet-loss, " +
      "source-fail.",
    minProperties: 2,
    maxProperties: 2,
  },
);

const Simulation = closed(
  {
    "max-step": Type.Optional(
      duration("Longest interval the migration thread advances in one step.", {
        default: SIMULATION_DEFAULTS["max-step"],
      }),
    ),
    "max-step-pages": Type.Optional(
      Type.Integer({
        description: "Most pages taken in one step.",
        minimum: 1,
        default: SIMULATION_DEFAULTS["max-step-pages"],
      }),
    ),
    "max-migration-time": Type.Optional(
      duration("A migration still running at this simulated time fails instead of looping on.", {
        default: SIMULATION_DEFAULTS["max-migration-time"],
      }),
    ),
    "sample-interval": Type.Optional(
      duration("Interval between timeline samples.", { default: SIMULATION_DEFAULTS["sample-interval"] }),
    ),
  },
  { description: "Knobs of the simulation itself, not of the modelled system." },
);

const Expect = closed(
  {
    "total-time": Type.Optional(duration("Published total migration time.")),
    transferred: Type.Optional(size('Published bytes transferred (QEMU reports KiB as "KB").')),
    downtime: Type.Optional(duration("Published downtime.")),
  },
  { description: "Published figures to compare the model against; at least one.", minProperties: 1 },
);

/** The parts of a scenario a variant may override. */
const overridable = {
  seed: Type.Optional(
    Type.Integer({
      description: "Seed of the simulation's random streams; a run is a function of the file and the seed.",
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: DEFAULT_SEED,
    }),
  ),
  guest: Guest,
  workload: Type.Array(WorkloadStep, {
    description: "The guest's scripted life: steps run in order, each starting when the previous ends.",
  }),
  host: Type.Optional(Host),
  network: Type.Optional(Network),
  transport: Type.Optional(Transport),
  migration: Type.Optional(Migration),
  balloon: Type.Optional(Balloon),
  faults: Type.Optional(Faults),
  postcopy: Type.Optional(Postcopy),
  commands: Type.Optional(
    Type.Array(Command, { description: "QMP commands at given times, in any order (sorted by `at`)." }),
  ),
  simulation: Type.Optional(Simulation),
};

/** The sections a guest of a several-guest run may set for itself; hosts, link and transport are shared. */
const PER_GUEST = ["guest", "workload", "migration", "balloon", "faults", "postcopy", "commands"] as const;

const GuestSet = Type.Object(
  Object.fromEntries(
    PER_GUEST.map((key): [string, TSchema] => [key, Type.Optional(deepPartial(overridable[key]))]),
  ),
  {
    additionalProperties: false,
    description:
      "This guest's differences from the scenario (or variant) it is part of: mappings merge key by key, " +
      "lists and values replace. Only guest, workload, migration, balloon, faults, postcopy and commands: " +
      "the hosts, the link and the transports' parameters are shared by all guests.",
  },
);

const GuestEntry = closed(
  {
    name: Name("The guest's name, unique among the guests (results and reports use it)."),
    description: Type.Optional(Type.String({ description: "What this guest runs." })),
    set: Type.Optional(GuestSet),
  },
  { description: "One guest migrating alongside the others." },
);

const Guests = Type.Array(GuestEntry, {
  description:
    "Several guests migrating at once between the same two hosts: each is the scenario with its own `set` " +
    "merged in; their streams share the link, the hosts' cores and, when tunnelled, the daemons. Without " +
    "`guests` the scenario migrates one guest.",
  minItems: 1,
});

/** What a variant may override: every section, and the list of guests. */
const sections = { ...overridable, guests: Type.Optional(Guests) };

const Overrides = Type.Object(sections, { additionalProperties: false });

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Every object optional down to the lists, which a variant replaces whole (so their items stay complete). */
function deepPartial(schema: TSchema): TSchema {
  if (!Type.IsObject(schema)) return schema;
  const properties: Record<string, TSchema> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    properties[key] = Type.Optional(deepPartial(property));
  }
  return Type.Object(properties, ObjectOptions(schema));
}

const VariantSet = Type.Unsafe<DeepPartial<Static<typeof Overrides>>>(
  Type.Object(
    Object.fromEntries(
      Object.entries(sections).map(([key, property]: [string, TSchema]) => [
        key,
        Type.Optional(deepPartial(property)),
      ]),
    ),
    {
      additionalProperties: false,
      description:
        "Overrides of the base scenario: mappings merge key by key, lists and values replace. " +
        "Not name, description, expect or variants.",
    },
  ),
);

const Variant = closed(
  {
    name: Name("The variant's name, unique in the file (reports and --variant use it)."),
    description: Type.Optional(Type.String({ description: "What this variant changes and why." })),
    set: Type.Optional(VariantSet),
    expect: Type.Optional(Expect),
  },
  { description: "A named variant of the base scenario." },
);

export const ScenarioSchema = closed(
  {
    $schema: Type.Optional(Type.String({ description: "The JSON Schema this file follows (for editors)." })),
    name: Name("The scenario's name."),
    description: Type.Optional(
      Type.String({ description: "What the scenario models and where it comes from." }),
    ),
    ...sections,
    expect: Type.Optional(Expect),
    variants: Type.Optional(
      Type.Array(Variant, {
        description: "Named variants run side by side; without variants the base runs alone as `base`.",
        minItems: 1,
      }),
    ),
  },
  {
    description:
      "A hintmig scenario: a guest (or several), its workload, the hosts, the link, the balloon device " +
      "and a migration.",
  },
);

/** A scenario file as written (defaults not applied, units not converted). */
export type ScenarioFile = Static<typeof ScenarioSchema>;
export type ScenarioVariant = Static<typeof Variant>;
export type WorkloadStepFile = Static<typeof WorkloadStep>;
export type CommandFile = Static<typeof Command>;
export type GuestEntryFile = Static<typeof GuestEntry>;
export type ParametersFile = NonNullable<NonNullable<ScenarioFile["migration"]>["parameters"]>;
