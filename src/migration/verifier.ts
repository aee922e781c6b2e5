// The verifier runs at the end of every migration. It knows nothing of bitmaps or hints: it compares
// what each page holds on the source with what the destination received, for every page the guest has
// allocated (free pages may legitimately differ: that is the whole point of free-page hinting).

import { CONTAINER_PAGES, slice } from "../bitmap/roaring.ts";
import type { GuestMemory } from "../guest-agent/memory.ts";
import type { VerificationResult } from "../model.ts";
import type { Destination } from "./destination.ts";

const MAX_NAMED = 16;

export function verifyDestination(source: GuestMemory, destination: Destination): VerificationResult {
  source.versions.settleAll();
  let mismatches = 0;
  const named: VerificationResult["mismatched-pages"] = [];
  // Allocated pages a chunk of 64K at a time: one roaring call per chunk, not one per page.
  for (let start = 0; start < source.totalPages; start += CONTAINER_PAGES) {
    const end = Math.min(source.totalPages, start + CONTAINER_PAGES);
    if (source.allocated.rangeCardinality(start, end) === 0) continue;
    source.versions.compareAt(
      destination.versions,
      slice(source.allocated, start, end).toUint32Array(),
      (page, s, d) => {
        mismatches++;
        if (named.length < MAX_NAMED) named.push({ page, source: s, destination: d });
      },
    );
  }
  return {
    "checked-pages": source.allocated.size,
    mismatches,
    "mismatched-pages": named,
    scope: "destination",
    "guest-running-on": "destination",
  };
}

/**
 * When a migration is cancelled or fails, the destination's partial copy is discarded and the guest must
 * go on where it was: on the source, with all its memory, running (resumed if stop-and-copy had paused
 * it). A guest that ran nowhere at the end, its host failed under it, has lost every page it had.
 */
export function verifySource(source: GuestMemory, runningOn: "source" | "nowhere"): VerificationResult {
  const pages = source.allocated.size;
  return {
    "checked-pages": pages,
    mismatches: runningOn === "source" ? 0 : pages,
    "mismatched-pages": [],
    scope: "source",
    "guest-running-on": runningOn,
  };
}
