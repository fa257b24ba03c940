package io.daemonset.daemonset;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The writes a member's DaemonSets have asked nodes for (admit, delete, orphan, relabel) and not yet had answered,
 * bounded member-wide. Each such ask is one journal write on the node's side; without a bound, ten DaemonSets each
 * scheduling a round of 1,000 pods queue 10,000 writes at once, more than the journal commits within its call
 * timeout (10 s on H2 under a 5,000-node fleet's load): writes then fail, the circuit breaker opens and entities
 * restart, which adds their recoveries to the load (docs/performance.md, "Idle machine after the write budget").
 *
 * <p>Shared fairly: a DaemonSet may hold at most its share, the capacity divided among the DaemonSets that asked
 * for a permit within the last {@link #ACTIVE_NANOS} (never less than {@link #MIN_SHARE}), so that ten DaemonSets
 * converging at once all progress and a node that joins gets all its pods at about the same time, instead of one
 * DaemonSet's whole fleet first. A DaemonSet that found no permit keeps its asks and tries again
 * ({@link NodeLink#sendDeferred}). Thread-safe: entities of one member share it.
 */
final class NodeWriteBudget implements Extension {
  static final int DEFAULT_CAPACITY = 1000;
  static final int MIN_SHARE = 16;
  static final long ACTIVE_NANOS = 1_000_000_000L;
  private static final long PRUNE_EVERY_NANOS = 100_000_000L;
  private static final Id ID = new Id();

  private final int capacity;
  private int inUse;
  /** When each sender last asked for a permit: the senders asked within ACTIVE_NANOS share the capacity. */
  private final Map<Object, Long> lastAsked = new HashMap<>();
  private long prunedAt;
  private boolean pruned;

  NodeWriteBudget(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("node-writes-in-flight must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  static NodeWriteBudget get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(system.classicSystem());
  }

  /** One permit for {@code sender}, which holds {@code held} already; false when the member or its share is full. */
  synchronized boolean tryAcquire(Object sender, int held, long nowNanos) {
    lastAsked.put(sender, nowNanos);
    if (!pruned || nowNanos - prunedAt >= PRUNE_EVERY_NANOS) {
      lastAsked.values().removeIf(at -> nowNanos - at > ACTIVE_NANOS);
      prunedAt = nowNanos;
      pruned = true;
    }
    if (inUse >= capacity || held >= share()) {
      return false;
    }
    inUse++;
    return true;
  }

  synchronized void release() {
    inUse = Math.max(0, inUse - 1);
  }

  synchronized int inUse() {
    return inUse;
  }

  private int share() {
    return Math.max(MIN_SHARE, capacity / Math.max(1, lastAsked.size()));
  }

  private static final class Id extends AbstractExtensionId<NodeWriteBudget> {
    private static final String PATH = "daemonset.controller.node-writes-in-flight";

    @Override
    public NodeWriteBudget createExtension(ExtendedActorSystem system) {
      Config config = system.settings().config();
      return new NodeWriteBudget(config.hasPath(PATH) ? config.getInt(PATH) : DEFAULT_CAPACITY);
    }
  }
}
