package io.daemonset.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long a node's lease lasts, decided by the server from the size of the fleet, so that renewals stay under a
 * target rate however many nodes there are (Nomad's {@code max_heartbeats_per_second}, applied to kubelet's Lease).
 *
 * <p>A kubelet renews every quarter of its lease (40 s, so every 10 s): 5,000 nodes make 500 renewals a second,
 * most of what a 2-core control plane can serve, and the pods' own status writes queue behind them. Agents renew
 * every quarter of the duration the server grants; the node lifecycle tolerates silence for that duration. Up to
 * {@code renewalsPerSecond × floor / 4} nodes (1,000 with the defaults) nothing changes from upstream; beyond, the
 * lease grows with the fleet (5,000 nodes: 200 s, renewed every 50 s), up to the ceiling. The price, written in
 * docs/architecture.md: a node that dies unannounced in a large fleet is noticed later.
 *
 * @param floor the shortest lease: the node-monitor grace period (upstream's 40 s)
 * @param renewalsPerSecond the renewals the whole fleet should make per second at most
 * @param ceiling the longest lease granted, whatever the fleet's size
 */
public record LeaseTerms(Duration floor, double renewalsPerSecond, Duration ceiling) {
  public static final double DEFAULT_RENEWALS_PER_SECOND = 100;
  public static final Duration DEFAULT_CEILING = Duration.ofMinutes(10);

  public LeaseTerms {
    if (!(renewalsPerSecond > 0)) {
      throw new IllegalArgumentException("daemonset.node.lease-renewals-per-second must be positive: "
          + renewalsPerSecond);
    }
  }

  /** The upstream lease whatever the fleet: a grace period, no rate limit. */
  public static LeaseTerms fixed(Duration grace) {
    return new LeaseTerms(grace, Double.MAX_VALUE, grace);
  }

  static LeaseTerms of(Config config, Duration grace) {
    double rate = config.hasPath("daemonset.node.lease-renewals-per-second")
        ? config.getDouble("daemonset.node.lease-renewals-per-second") : DEFAULT_RENEWALS_PER_SECOND;
    Duration ceiling = config.hasPath("daemonset.node.lease-duration-max")
        ? config.getDuration("daemonset.node.lease-duration-max") : DEFAULT_CEILING;
    return new LeaseTerms(grace, rate, ceiling);
  }

  /** The lease for a fleet of this size: renewed every quarter of it, the fleet stays under the target rate. */
  public Duration granted(int nodes) {
    double seconds = 4.0 * nodes / renewalsPerSecond;
    Duration needed = Duration.ofSeconds((long) Math.ceil(Math.min(seconds, Long.MAX_VALUE / 2.0)));
    Duration longest = ceiling.compareTo(floor) > 0 ? ceiling : floor;
    return needed.compareTo(floor) < 0 ? floor : needed.compareTo(longest) > 0 ? longest : needed;
  }
}
