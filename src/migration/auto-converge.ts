// auto-converge (QEMU migration/ram.c: migration_trigger_throttle, mig_throttle_guest_down): at a bitmap
// sync that closes a period of at least a second, if the guest dirtied more than
// throttle-trigger-threshold % of what was sent in that period, twice in a row, the vCPUs are throttled:
// first to cpu-throttle-initial, then up by cpu-throttle-increment, capped at max-cpu-throttle.

import type { MigrationParameters } from "../model.ts";

export class AutoConverge {
  /** Fraction of vCPU time taken away from the guest, 0..0.99. */
  throttle = 0;
  private highCount = 0;

  constructor(private readonly enabled: boolean) {}

  /** Called with the bytes dirtied and sent since the previous period ended. */
  onPeriod(bytesDirtied: number, bytesSent: number, params: MigrationParameters): void {
    if (!this.enabled) return;
    if (bytesDirtied <= (bytesSent * params.throttleTriggerThreshold) / 100) return;
    this.highCount++;
    if (this.highCount < 2) return;
    this.highCount = 0;
    const pct =
      this.throttle === 0
        ? params.cpuThrottleInitial
        : Math.min(params.maxCpuThrottle, Math.round(this.throttle * 100) + params.cpuThrottleIncrement);
    this.throttle = pct / 100;
  }
}
