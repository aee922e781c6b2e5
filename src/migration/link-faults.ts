// Network events as one migration lives through them: the link's rate and loss change for everyone who
// uses it; the link, or one multifd channel, goes down and comes back, or its connection is reset. A break
// is not known to the source when it happens: the transport says how long it takes to notice (a TCP
// timeout, a daemon's keepalive, the next write after a reset), and a link that comes back first is no
// break at all: TCP retransmits and the stream goes on.

import type { Scheduler } from "../core/scheduler.ts";
import type { Command, NetworkConfig, NetworkEvent, Ns } from "../model.ts";
import type { ChannelStates } from "../transport/channels.ts";
import type { Breakage, Transport } from "../transport/transport.ts";

/** A break the source has noticed. */
export interface NoticedBreak {
  cause: "link-down" | "connection-reset";
  /** When the link went down or the connection was reset. */
  eventNs: Ns;
  breakage: Breakage;
}

type LinkCommand = NetworkEvent | Extract<Command, { kind: "link-bandwidth" }>;

export class LinkFaults {
  /** When the whole link went down; null while it is up. */
  private downSinceNs: Ns | null = null;
  /** Each down or reset gets a number, so a detection scheduled for an earlier one can tell it is stale. */
  private readonly episodes = new Map<number | null, number>();
  private noticedBreak: NoticedBreak | null = null;

  /**
   * `network`: the link as it is now, changed in place by events, shared by every guest of a run;
   * `channels`: the faults of this migration's own channels. The transport reads both.
   */
  constructor(
    readonly network: NetworkConfig,
    readonly channels: ChannelStates,
    private readonly transport: Transport,
    private readonly scheduler: Scheduler & { readonly nowNs: Ns },
  ) {}

  get up(): boolean {
    return this.downSinceNs === null;
  }

  /** How long the whole link has been down; null while it is up. */
  downForNs(): Ns | null {
    return this.downSinceNs === null ? null : this.scheduler.nowNs - this.downSinceNs;
  }

  /** The first break the source noticed, if any. */
  get noticed(): NoticedBreak | null {
    return this.noticedBreak;
  }

  apply(c: LinkCommand): void {
    const now = this.scheduler.nowNs;
    switch (c.kind) {
      case "link-bandwidth":
        this.network.bandwidthBytesPerSec = c.bandwidthBytesPerSec;
        return;
      case "packet-loss":
        if (c.channel === null) this.network.packetLossRate = c.rate;
        else this.channels.setLoss(c.channel, c.rate);
        return;
      case "link-down":
        // Down again while down changes nothing: TCP has been retransmitting since the first.
        if (c.channel === null ? this.downSinceNs !== null : this.channels.isDown(c.channel)) return;
        if (c.channel === null) this.downSinceNs = now;
        else this.channels.setDown(c.channel, true);
        this.watch("link-down", "timeout", c.channel, now);
        return;
      case "link-up":
        if (c.channel === null) this.downSinceNs = null;
        else this.channels.setDown(c.channel, false);
        this.nextEpisode(c.channel);
        return;
      case "connection-reset":
        this.watch("connection-reset", "reset", c.channel, now);
        return;
    }
  }

  private nextEpisode(channel: number | null): number {
    const episode = (this.episodes.get(channel) ?? 0) + 1;
    this.episodes.set(channel, episode);
    return episode;
  }

  /** Schedules the source noticing this break, unless the link is back by then (a reset is final). */
  private watch(
    cause: NoticedBreak["cause"],
    kind: "timeout" | "reset",
    channel: number | null,
    eventNs: Ns,
  ) {
    const episode = this.nextEpisode(channel);
    const breakage = this.transport.breakage(kind, channel);
    this.scheduler.at(eventNs + breakage.detectNs, () => {
      const current = kind === "reset" || this.episodes.get(channel) === episode;
      if (current && this.noticedBreak === null) this.noticedBreak = { cause, eventNs, breakage };
    });
  }
}
