// The virtio-balloon pieces a run has, when its scenario enables them, wired to the migration: the
// free-page-hint device on the precopy notifiers and its virtqueue's I/O thread on the source, the guest's
// hinting driver and free-page reporting on the guest's vCPUs, their CPU on the hosts' threads.

import { FreePageHintDevice, type FreePageHintTarget } from "../balloon/free-page-hint.ts";
import { discardReported } from "../balloon/free-page-reporting.ts";
import { FreePageVirtqueue } from "../balloon/virtqueue.ts";
import type { Scheduler } from "../core/scheduler.ts";
import { HintingAgent } from "../guest-agent/hinting-agent.ts";
import type { GuestMemory } from "../guest-agent/memory.ts";
import { PageReporting } from "../guest-agent/page-reporting.ts";
import type { Ns, SimConfig } from "../model.ts";
import type { HostSide } from "../transport/cpu.ts";
import type { PrecopyNotifiers } from "./notifiers.ts";

export interface Balloon {
  hint: { device: FreePageHintDevice; agent: HintingAgent; vq: FreePageVirtqueue } | null;
  reporting: PageReporting | null;
}

export interface BalloonHost {
  config: SimConfig;
  memory: GuestMemory;
  scheduler: Scheduler;
  /** Where hints land: the migration's bitmap (ram.c's qemu_guest_free_page_hint). */
  target: FreePageHintTarget;
  notifiers: PrecopyNotifiers;
  /** The host the guest's vCPUs run on now. */
  guestHost: () => HostSide;
  /** Charges a component's cumulative busy time to a host thread as time passes. */
  meter: (host: () => HostSide, thread: string, read: () => Ns) => void;
}

export function wireBalloon(h: BalloonHost): Balloon {
  const { balloon, faults, migration, postcopy } = h.config;
  const pageBytes = h.memory.pageSizeBytes;
  let hint: Balloon["hint"] = null;
  // QEMU skips free-page hinting whenever postcopy is possible; hintmig's other policies keep it.
  const hintingOff = migration.capabilities["postcopy-ram"] && postcopy.freePagePolicy === "disable-hinting";
  if (balloon.freePageHint && !hintingOff) {
    let device: FreePageHintDevice | null = null;
    const vq = new FreePageVirtqueue(
      h.scheduler,
      {
        size: balloon.virtqueueSize,
        iothreadLatencyNs: balloon.iothreadLatencyNs,
        perEntryNs: balloon.hintHostNs,
      },
      (entry) => device!.handle(entry),
    );
    const agent = new HintingAgent(h.memory, vq, h.scheduler, {
      blockPages: balloon.hintBlockBytes / pageBytes,
      blockGuestNs: balloon.hintBlockGuestNs,
      configLatencyNs: balloon.configLatencyNs,
    });
    device = new FreePageHintDevice(h.target, (id) => agent.configChanged(id), faults);
    h.notifiers.add((notice) => device!.notify(notice));
    h.meter(
      () => "source",
      "balloon-iothread",
      () => vq.iothreadBusyNs,
    );
    h.meter(h.guestHost, "vcpus", () => agent.guestBusyNs);
    hint = { device, agent, vq };
  }
  let reporting: PageReporting | null = null;
  if (balloon.freePageReporting) {
    let discardNs = 0;
    reporting = new PageReporting(
      h.memory,
      h.scheduler,
      {
        minBlockPages: balloon.reportingBlockBytes / pageBytes,
        delayNs: balloon.reportingDelayNs,
        capacity: balloon.reportingCapacity,
      },
      (blocks) => {
        const ns = discardReported(h.memory, blocks, balloon.discardNsPerPage);
        discardNs += ns;
        return ns;
      },
    );
    h.meter(
      () => "source",
      "balloon-iothread",
      () => discardNs,
    );
  }
  return { hint, reporting };
}
