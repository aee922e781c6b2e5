// The destination QEMU's copy of guest RAM: what version of each page it received. Pages it never
// received hold version 0, the zero page a fresh destination maps.

import { RoaringBitmap32 } from "../bitmap/roaring.ts";
import { PageVersions } from "../core/page-versions.ts";
import type { GuestMemory } from "../guest-agent/memory.ts";
import type { Chunk } from "./ram.ts";

export class Destination {
  readonly versions: PageVersions;
  /**
   * Pages the destination holds a copy of. In precopy every page it ever received; postcopy removes
   * the discarded ones (stale copies) and adds what arrives or the guest writes there.
   */
  readonly present = new RoaringBitmap32();

  constructor(totalPages: number) {
    this.versions = new PageVersions(totalPages);
  }

  /** The chunk's pages arrive holding what the source held when the migration thread read them. */
  receive(chunk: Chunk, source: GuestMemory): void {
    source.versions.settle(chunk.start, chunk.end);
    if (chunk.list === null) {
      this.versions.copyRange(source.versions, chunk.start, chunk.end);
      this.present.addRange(chunk.start, chunk.end);
    } else {
      this.versions.copyPages(source.versions, chunk.list);
      this.present.addMany(chunk.list);
    }
  }

  /**
   * Postcopy: pages pushed or requested arrive, but a page the destination already holds (the guest
   * wrote it there, or asked for it first) keeps its copy, as UFFDIO_COPY refuses to overwrite a
   * placed page. Pages not yet held cannot have changed since the switch, so the source's copy is the
   * guest's memory as it is now.
   */
  receiveMissing(pages: RoaringBitmap32, source: GuestMemory): number {
    const missing = RoaringBitmap32.andNot(pages, this.present);
    if (missing.isEmpty) return 0;
    const list = missing.toUint32Array();
    source.versions.settle(list[0]!, list[list.length - 1]! + 1);
    this.versions.copyPages(source.versions, list);
    this.present.orInPlace(missing);
    return list.length;
  }
}
