package io.daemonset.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long a node's lease lasts, decided by the server from the size of the fleet, so that renewals stay under a
 * target rate however many nodes there are (Nomad's {@code max_heartbeats_per_second}, applied to kubelet's Lease).
 *
 * <p>A kubelet renews every quarter of its lease (40 s, so every 10 s): 5,000 nodes make 500 renewals a second,
 * most of what a 2-core control plane can serve, and the pods' own status writes queue behind them. The server grants
 * the lease the agent asks for, or the one this gives when it is longer; agents renew every quarter of what they got,
 * and the node lifecycle tolerates that long a silence (or its grace period, when longer). Up to
 * {@code renewalsPerSecond × 40 s / 4} nodes (1,000 with the defaults) nothing changes from upstream; beyond, the
 * lease grows with the fleet (5,000 nodes: 200 s, renewed every 50 s), up to the ceiling. The price, written in
 * docs/architecture.md: a node that dies unannounced in a large fleet is noticed later.
 *
 * @param renewalsPerSecond the renewals the whole fleet should make per second at most
 * @param ceiling the longest lease granted, whatever the fleet's size
 */
public record LeaseTerms(double renewalsPerSecond, Duration ceiling) {
  public static final double DEFAULT_RENEWALS_PER_SECOND = 100;
  public static final Duration DEFAULT_CEILING = Duration.ofMinutes(10);
  /** Leases as the agents ask for them, whatever the fleet. */
  public static final LeaseTerms AS_ASKED = new LeaseTerms(Double.MAX_VALUE, Duration.ZERO);

  public LeaseTerms {
    if (!(renewalsPerSecond > 0)) {
      throw new IllegalArgumentException("daemonset.node.lease-renewals-per-second must be positive: "
          + renewalsPerSecond);
    }
  }

  static LeaseTerms of(Config config) {
    double rate = config.hasPath("daemonset.node.lease-renewals-per-second")
        ? config.getDouble("daemonset.node.lease-renewals-per-second") : DEFAULT_RENEWALS_PER_SECOND;
    Duration ceiling = config.hasPath("daemonset.node.lease-duration-max")
        ? config.getDuration("daemonset.node.lease-duration-max") : DEFAULT_CEILING;
    return new LeaseTerms(rate, ceiling);
  }

  /**
   * The shortest lease that keeps a fleet of this size under the target rate when renewed every quarter of it, at
   * most the ceiling: the server grants this when it is longer than the lease asked for.
   */
  public Duration granted(int nodes) {
    double seconds = Math.ceil(4.0 * nodes / renewalsPerSecond);
    return seconds >= ceiling.toSeconds() ? ceiling : Duration.ofSeconds((long) seconds);
  }
}
