// Faults of single streams of a multi-stream transport (one multifd channel's path losing packets or
// dead), beside the faults of the whole link. Channels are numbered from 0, as QEMU names its threads.

export class ChannelStates {
  private readonly down = new Set<number>();
  private readonly loss = new Map<number, number>();

  setDown(channel: number, down: boolean): void {
    if (down) this.down.add(channel);
    else this.down.delete(channel);
  }

  setLoss(channel: number, rate: number): void {
    if (rate > 0) this.loss.set(channel, rate);
    else this.loss.delete(channel);
  }

  isDown(channel: number): boolean {
    return this.down.has(channel);
  }

  get anyDown(): boolean {
    return this.down.size > 0;
  }

  get downCount(): number {
    return this.down.size;
  }

  /** The channel's loss on top of the link's: a packet arrives if neither loses it. */
  lossRate(channel: number, linkLossRate: number): number {
    return 1 - (1 - linkLossRate) * (1 - (this.loss.get(channel) ?? 0));
  }
}
