package io.daemonset.node;

import io.daemonset.model.Lease;
import io.daemonset.model.ObjectMeta;
import java.time.Instant;
import java.util.Objects;

/**
 * A node's Lease as the server keeps it: the agent says who holds it and for how long (the server may grant
 * longer); the server stamps the renewal with its own clock (the heartbeat that counts is when the server heard it),
 * keeps the first acquisition, counts holder changes as upstream's leaseTransitions, and versions it by renewal time so that a newer renewal always
 * carries a larger resourceVersion, across restarts too.
 */
public final class NodeLeases {
  private NodeLeases() {}

  public static Lease renewed(Lease previous, Lease requested, Instant now) {
    return renewed(previous, requested, now, java.time.Duration.ZERO);
  }

  /**
   * As above, with the lease the server grants this renewal ({@link LeaseTerms}): the duration is the one asked, or
   * the grant when it is longer, and the agent renews every quarter of what it got back.
   */
  public static Lease renewed(Lease previous, Lease requested, Instant now, java.time.Duration granted) {
    Lease.LeaseSpec asked = requested == null || requested.spec() == null
        ? new Lease.LeaseSpec(null, null, null, null, null) : requested.spec();
    String name = requested == null || requested.metadata() == null ? null : requested.metadata().name();
    String holder = asked.holderIdentity();
    int duration = Math.max(asked.leaseDurationSeconds() == null ? Lease.NODE_LEASE_DURATION_SECONDS
        : asked.leaseDurationSeconds(), (int) Math.min(Integer.MAX_VALUE, granted.toSeconds()));
    boolean sameHolder = previous != null && Objects.equals(previous.spec().holderIdentity(), holder);
    String acquired = sameHolder ? previous.spec().acquireTime() : Lease.microTime(now);
    int transitions = previous == null ? 0 : nonNull(previous.spec().leaseTransitions()) + (sameHolder ? 0 : 1);
    ObjectMeta meta = previous != null ? previous.metadata()
        : ObjectMeta.named(Lease.NODE_LEASE_NAMESPACE, name).withCreationTimestamp(now)
            .withUid(java.util.UUID.nameUUIDFromBytes(("lease/" + name + "/" + now).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString());
    long version = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return new Lease(Lease.API_VERSION, Lease.KIND, meta.withResourceVersion(Long.toString(version)),
        new Lease.LeaseSpec(holder, duration, acquired, Lease.microTime(now), transitions == 0 ? null : transitions));
  }

  private static int nonNull(Integer value) {
    return value == null ? 0 : value;
  }
}
