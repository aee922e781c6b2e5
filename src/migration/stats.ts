// Every counter of one migration in one place (QEMU's migration-stats.h in spirit); query-migrate's
// names appear when the result is built.

export class MigrationStats {
  /** RAM stream bytes on the wire: page data, zero markers, headers (`transferred`). */
  transferredBytes = 0;
  /** Pages sent as zero markers (`duplicate`). */
  zeroPages = 0;
  /** Pages sent whole (`normal`). */
  normalPages = 0;
  /** Bitmap syncs, the setup one included (`dirty-sync-count`). */
  dirtySyncCount = 0;
  /** Pages the destination requested during postcopy (`postcopy-requests`). */
  postcopyRequests = 0;
  /** Pages cleared from the migration bitmap because the guest reported them free (`skipped-free`). */
  skippedFreePages = 0;
  /** Dirty pages per second, measured over the last sync period of at least a second. */
  dirtyPagesRate = 0;
  /** Device state bytes sent at stop-and-copy (not part of `transferred`, as in QEMU's ram section). */
  deviceStateBytes = 0;
}
