// Postcopy's states, in QEMU's order (PostcopyState in migration/postcopy-ram.h): advise when the
// capability is negotiated at setup, discard while the source sends the discard list, listening once
// the destination can take faults, running once the guest runs there, end when every page is there.

export const POSTCOPY_STATES = ["none", "advise", "discard", "listening", "running", "end"] as const;
export type PostcopyState = (typeof POSTCOPY_STATES)[number];

/** States only move forward. */
export function postcopyAdvance(from: PostcopyState, to: PostcopyState): PostcopyState {
  if (POSTCOPY_STATES.indexOf(to) < POSTCOPY_STATES.indexOf(from)) {
    throw new Error(`postcopy: cannot go from ${from} back to ${to}`);
  }
  return to;
}
