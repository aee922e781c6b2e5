// KVM's dirty log: while logging is on, every page the guest writes is recorded here until the
// migration thread collects it at a bitmap sync (KVM_GET_DIRTY_LOG + clear). The migration bitmap
// (what is still to send) is a different set, kept by the migration code; keeping the two apart is what
// makes free-page hinting safe.

import type { GuestMemory } from "../guest-agent/memory.ts";
import { RoaringBitmap32 } from "./roaring.ts";

export class DirtyLog {
  private log = new RoaringBitmap32();
  private logging = false;

  constructor(memory: GuestMemory) {
    memory.observe({
      onWriteRange: (start, end) => {
        if (this.logging) this.log.addRange(start, end);
      },
      onRewritePages: (pages) => {
        if (this.logging) this.log.addMany(pages);
      },
    });
  }

  get enabled(): boolean {
    return this.logging;
  }

  start(): void {
    this.logging = true;
  }

  stop(): void {
    this.logging = false;
    this.log = new RoaringBitmap32();
  }

  /**
   * Forgets that these pages were written. Nothing correct does this: it is the fault of a hint applied
   * to the dirty log instead of the migration bitmap, kept so that tests and fault scenarios can show
   * the verifier catching the lost writes.
   */
  clear(pages: RoaringBitmap32): void {
    this.log.andNotInPlace(pages);
  }

  /** Pages written since the last collection; the log starts empty again. */
  collect(): RoaringBitmap32 {
    const collected = this.log;
    this.log = new RoaringBitmap32();
    return collected;
  }
}
