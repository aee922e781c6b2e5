// QEMU's side of free-page hinting (hw/virtio/virtio-balloon.c): a small state machine driven by the
// precopy notifiers. Before every bitmap sync it stops (no hint may cross a sync); after a sync, if the
// guest runs, it asks for a new report with a new cmd_id (REQUESTED) and starts applying hints once the
// guest echoes that id (START); at the final sync and at cleanup it is DONE and the guest frees the
// blocks it held. A hint applied in START clears the block from the migration bitmap, through a narrow
// target (ram.c's qemu_guest_free_page_hint): the migration code knows nothing of balloons.

import { CMD_ID_DONE, CMD_ID_STOP } from "../guest-agent/hinting-agent.ts";
import type { PrecopyNotice } from "../migration/notifiers.ts";
import type { FaultConfig } from "../model.ts";
import type { FreePageEntry } from "./virtqueue.ts";

/** VIRTIO_BALLOON_FREE_PAGE_HINT_CMD_ID_MIN: ids below it are reserved (STOP, DONE). */
export const CMD_ID_MIN = 0x80000000;
const CMD_ID_MAX = 0xffffffff;

export type HintState = "stop" | "requested" | "start" | "done";

/** Where hints land: the migration's RAM state. */
export interface FreePageHintTarget {
  /** qemu_guest_free_page_hint: these pages are free in the guest. */
  freePageHint(start: number, pages: number): void;
}

export class FreePageHintDevice {
  state: HintState = "stop";
  /** Hints applied, and hints thrown away because they came outside START. */
  hintsApplied = 0;
  hintsDiscarded = 0;

  constructor(
    private readonly target: FreePageHintTarget,
    /** The config write the guest driver sees (after its latency). */
    private readonly publish: (cmdId: number) => void,
    private readonly faults: FaultConfig,
    /** The id of the previous request; QEMU starts at CMD_ID_MIN, so the first request is MIN + 1. */
    public cmdId: number = CMD_ID_MIN,
  ) {}

  /** virtio_balloon_free_page_hint_notify. */
  notify(notice: PrecopyNotice): void {
    switch (notice.reason) {
      case "setup":
        break;
      case "before-bitmap-sync":
        this.stop();
        break;
      case "after-bitmap-sync":
        if (notice.guestRunning) this.start();
        else this.done();
        break;
      case "complete":
      case "cleanup":
        this.done();
        break;
    }
  }

  /** The I/O thread handles one virtqueue entry. */
  handle(entry: FreePageEntry): void {
    if (entry.kind === "cmd-id") {
      if (this.state === "requested" && entry.id === this.cmdId) this.state = "start";
      // An id that is not the one requested while hints flow: the guest is out of step; stop applying.
      else if (this.state === "start") this.state = "stop";
      return;
    }
    if (this.state === "start" || this.faults.hintsAfterSync) {
      this.target.freePageHint(entry.start, entry.pages);
      this.hintsApplied++;
    } else {
      this.hintsDiscarded++;
    }
  }

  private start(): void {
    this.cmdId = this.cmdId === CMD_ID_MAX ? CMD_ID_MIN : this.cmdId + 1;
    this.state = "requested";
    this.publish(this.cmdId);
  }

  private stop(): void {
    if (this.state === "stop" || this.state === "done") return;
    this.state = "stop";
    this.publish(CMD_ID_STOP);
  }

  private done(): void {
    if (this.state === "done") return;
    this.state = "done";
    this.publish(CMD_ID_DONE);
  }
}
