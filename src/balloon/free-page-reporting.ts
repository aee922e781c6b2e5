// QEMU's side of free-page reporting (virtio_balloon_handle_report): each reported block's backing
// memory is discarded, so the guest page reads back as zeros. Not a guest write, so not dirty-logged.

import type { Extent } from "../guest-agent/extents.ts";
import type { GuestMemory } from "../guest-agent/memory.ts";
import type { Ns } from "../model.ts";

export function discardReported(memory: GuestMemory, blocks: readonly Extent[], nsPerPage: Ns): Ns {
  let pages = 0;
  for (const b of blocks) {
    memory.discard(b.start, b.end);
    pages += b.end - b.start;
  }
  return pages * nsPerPage;
}
