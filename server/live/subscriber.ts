import type { FrameBatch } from './frames.ts';

/** A live stream of one bin: receives each batch of that bin's new request events. */
export interface LiveSubscriber {
  deliver(batch: FrameBatch): void;
}

/** How a stream treats its client: LiveHub holds these for every stream. */
export interface StreamLimits {
  /** Bytes that may wait for a slow client before its stream is cut off. */
  maxBacklogBytes: number;
  /** How often a comment line is sent, so that proxies and the idle-socket timeout keep the stream. */
  keepAliveMs: number;
}
