package io.daemonset.cluster;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long, at most, from a member's death (SIGKILL, power off) to the first decision of its entities on a survivor,
 * computed from the cluster settings the member runs with. Each step waits for the one before, so the steps add up:
 * <ol>
 *   <li><b>detection</b>: the phi accrual detector marks the member unreachable {@code acceptable-heartbeat-pause}
 *       plus a little (phi reaches the threshold at {@link #PHI_ALLOWANCE} past the expected next heartbeat with the
 *       minimum standard deviation) after its last heartbeat, which was up to one {@code heartbeat-interval} before
 *       the death; the reaper notices on its next tick and one gossip round tells the leader;</li>
 *   <li><b>decision</b>: the split-brain resolver downs it when membership has been stable for
 *       {@code stable-after}, checked once a second;</li>
 *   <li><b>removal</b>: the leader moves it Down to Removed on its next tick, one gossip round spreads it;</li>
 *   <li><b>margin</b>: shards and the coordinator singleton start elsewhere only after
 *       {@code down-removal-margin};</li>
 *   <li><b>restart</b>: the regions learn the shard's new home (at worst after one {@code retry-interval}), the
 *       entity recovers from the journal and reconciles ({@link #RECOVERY_ALLOWANCE}, measured ≈ 0.5–1.6 s with
 *       100 nodes).</li>
 * </ol>
 * A pure function of the configuration; {@code ControlPlaneSystem} logs it at start, docs/architecture.md explains it,
 * {@code FailoverBudgetTest} keeps the bundled settings within the 20 s target.
 */
public record FailoverBudget(Duration detection, Duration decision, Duration removal, Duration margin,
                             Duration restart) {

  /**
   * Phi reaches its threshold (8, Pekko's default) at y·σ past the expected heartbeat: y ≈ 5.6 for the logistic
   * approximation Pekko uses, σ = min-std-deviation 100 ms on a steady network.
   */
  static final Duration PHI_ALLOWANCE = Duration.ofMillis(560);
  /** The resolver's tick (fixed at 1 s in Pekko's SplitBrainResolverBase). */
  static final Duration RESOLVER_TICK = Duration.ofSeconds(1);
  /** An entity's recovery from the journal, its first reconcile and persist, and the view showing it. */
  static final Duration RECOVERY_ALLOWANCE = Duration.ofSeconds(1);

  public static FailoverBudget of(Config config) {
    Duration heartbeat = config.getDuration("pekko.cluster.failure-detector.heartbeat-interval");
    Duration pause = config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
    Duration reaper = config.getDuration("pekko.cluster.unreachable-nodes-reaper-interval");
    Duration gossip = config.getDuration("pekko.cluster.gossip-interval");
    Duration leader = config.getDuration("pekko.cluster.leader-actions-interval");
    Duration stableAfter = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    // "off" (Pekko's default) means the resolver's stable-after (SplitBrainResolverProvider.downRemovalMargin).
    Duration margin = config.getString("pekko.cluster.down-removal-margin").equals("off")
        ? stableAfter : config.getDuration("pekko.cluster.down-removal-margin");
    Duration retry = config.getDuration("pekko.cluster.sharding.retry-interval");
    return new FailoverBudget(heartbeat.plus(pause).plus(PHI_ALLOWANCE).plus(reaper).plus(gossip),
        stableAfter.plus(RESOLVER_TICK), leader.plus(gossip), margin, retry.plus(RECOVERY_ALLOWANCE));
  }

  public Duration total() {
    return detection.plus(decision).plus(removal).plus(margin).plus(restart);
  }

  @Override
  public String toString() {
    return String.format("at most %.1f s from a member's death to its entities' first decision on a survivor"
            + " (detection %.1f s + stable-after and the resolver's tick %.1f s + removal %.1f s"
            + " + down-removal-margin %.1f s + shard restart and recovery %.1f s)",
        seconds(total()), seconds(detection), seconds(decision), seconds(removal), seconds(margin), seconds(restart));
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
