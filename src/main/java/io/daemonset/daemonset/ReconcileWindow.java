package io.daemonset.daemonset;

import java.time.Duration;

/**
 * How long a DaemonSet lets facts gather before its next reconcile: {@link DaemonSetEntity#COALESCE} (20 ms), or
 * {@link #SHARE} times as long as its last reconcile took, whichever is longer, at most {@link #MAX}.
 *
 * <p>Why: a reconcile looks at the whole fleet (milliseconds at 1,000 nodes, tens at 5,000), and node directory
 * notifications come every 100 ms, one per changed shard. While a fleet registers, every DaemonSet would
 * reconcile as often as the coalescing window allows, each time over the whole fleet, and ten DaemonSets would
 * take both cores. Spacing reconciles by their own cost bounds the time a DaemonSet spends deciding to about
 * 1 / {@code SHARE} of its time, whatever the fleet's size, and batches more facts into each write when deciding
 * is expensive; when the machine is busy a reconcile's wall time grows, so the spacing does too. A small fleet
 * keeps the 20 ms window.
 *
 * <p>The entity passes the last reconcile's deciding time plus its last write's: once deciding became cheap (a few
 * milliseconds at 5,000 nodes, {@link NodeViews}), a window of four times the deciding alone fell to its floor and ten
 * DaemonSets wrote ten times as often, each write queueing with the node entities' on the same journal
 * (docs/performance.md, "The reconcile at 5,000 nodes").
 *
 * <p>The window batches answers that are still on their way; once the last one a DaemonSet waits for has come (its
 * last create or delete answered, its last pod Ready: {@link Outstanding}) the reconcile runs after the coalescing
 * delay instead, since nothing more would join the batch.
 */
final class ReconcileWindow {
  static final int SHARE = 4;
  static final Duration MAX = Duration.ofMillis(500);

  private ReconcileWindow() {}

  /** The window after a reconcile that took {@code took}. */
  static Duration after(Duration took) {
    Duration scaled = took.multipliedBy(SHARE);
    if (scaled.compareTo(DaemonSetEntity.COALESCE) < 0) {
      return DaemonSetEntity.COALESCE;
    }
    return scaled.compareTo(MAX) > 0 ? MAX : scaled;
  }
}
