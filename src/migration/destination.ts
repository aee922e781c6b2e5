// The destination QEMU's copy of guest RAM: what version of each page it received. Pages it never
// received hold version 0, the zero page a fresh destination maps.

import { PageVersions } from "../core/page-versions.ts";
import type { GuestMemory } from "../guest-agent/memory.ts";
import type { Chunk } from "./ram.ts";

export class Destination {
  readonly versions: PageVersions;

  constructor(totalPages: number) {
    this.versions = new PageVersions(totalPages);
  }

  /** The chunk's pages arrive holding what the source held when the migration thread read them. */
  receive(chunk: Chunk, source: GuestMemory): void {
    source.versions.settle(chunk.start, chunk.end);
    if (chunk.list === null) this.versions.copyRange(source.versions, chunk.start, chunk.end);
    else this.versions.copyPages(source.versions, chunk.list);
  }
}
