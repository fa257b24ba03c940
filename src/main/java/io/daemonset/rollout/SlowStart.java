package io.daemonset.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's create batching, for callers that want it: at most {@link #BURST_REPLICAS} creates per
 * sync, sent in batches of 1, 2, 4, … so that a systematic failure (a node that rejects every pod)
 * costs one attempt, not hundreds. The planner itself returns every creation it wants.
 */
public final class SlowStart {

  /** upstream BurstReplicas. */
  public static final int BURST_REPLICAS = 250;
  /** upstream controller.SlowStartInitialBatchSize. */
  public static final int INITIAL_BATCH = 1;

  private SlowStart() {}

  /** Sizes of the batches for {@code wanted} creates: capped at 250, doubling from 1. */
  public static List<Integer> batchSizes(int wanted) {
    int total = Math.min(Math.max(wanted, 0), BURST_REPLICAS);
    List<Integer> sizes = new ArrayList<>();
    int batch = Math.min(total, INITIAL_BATCH);
    for (int pos = 0; pos < total; pos += batch, batch = Math.min(2 * batch, total - pos)) {
      sizes.add(batch);
    }
    return sizes;
  }
}
