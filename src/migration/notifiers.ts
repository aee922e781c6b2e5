// Precopy notifiers (QEMU's precopy_notify): the migration code announces the points around a bitmap
// sync and knows nothing of who listens. Free-page hinting (src/balloon) hooks in here.

import type { Ns } from "../model.ts";

export type PrecopyNotifyReason =
  | "setup"
  | "before-bitmap-sync"
  | "after-bitmap-sync"
  | "complete"
  | "cleanup";

export interface PrecopyNotice {
  reason: PrecopyNotifyReason;
  nowNs: Ns;
  /** Whether the guest's vCPUs are running (false once stop-and-copy has begun). */
  guestRunning: boolean;
}

export type PrecopyNotifier = (notice: PrecopyNotice) => void;

export class PrecopyNotifiers {
  private readonly list: PrecopyNotifier[] = [];

  add(notifier: PrecopyNotifier): void {
    this.list.push(notifier);
  }

  notify(notice: PrecopyNotice): void {
    for (const n of this.list) n(notice);
  }
}
