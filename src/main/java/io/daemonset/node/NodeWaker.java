package io.daemonset.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every listed node's entity running, so that its heartbeat timer runs (a node whose agent went silent is
 * marked unreachable) and it has announced itself to the {@link NodeDirectory}, without remembering the entities:
 * remembering cost each registration a write of sharding's own (the shard's remember-entities row) before the entity
 * started, and the first node of each shard an allocation stored in the journal (docs/performance.md, "Registration,
 * second pass").
 *
 * <p>On every member, once the view has caught up and then every {@code daemonset.node.wake-interval}, it compares
 * the nodes the view lists with the entities sharding runs: a listed node whose shard this member hosts and whose
 * entity does not run here, or whose shard no member hosts (after a full restart, or after its member died: sharding
 * allocates a shard again only when a message comes for it), is sent {@link NodeEntity#wake()}. After a rebalance
 * the coordinator allocates the shard to its new member at once, empty, and that member's waker starts its nodes. A
 * node hosted by another member is that member's to wake. A wake that reaches a running entity costs it one heartbeat
 * check, so the members' wakes may overlap (a full restart of three members wakes each node up to three times).
 */
public final class NodeWaker {
  private static final Logger LOG = LoggerFactory.getLogger(NodeWaker.class);
  /** How long the members' regions have to report their shards (Pekko answers with those that did). */
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final Supplier<Collection<String>> listedNodes;
  private final Function<String, String> shardOf;
  private final Executor executor;
  /** A check in progress (they ask other members, which may be slow): the next tick does not start another. */
  private final AtomicBoolean checking = new AtomicBoolean();

  private NodeWaker(ActorSystem<?> system, Supplier<Collection<String>> listedNodes) {
    this.system = system;
    this.listedNodes = listedNodes;
    HashCodeMessageExtractor<NodeEntity.Command> extractor =
        new HashCodeMessageExtractor<>(ClusterShardingSettings.create(system).numberOfShards());
    this.shardOf = extractor::shardId;
    this.executor = system.executionContext();
  }

  /**
   * Checks once {@code ready} completes (this member Up and its view caught up: before, the view lists too few
   * nodes), then every {@code daemonset.node.wake-interval}, until the system stops.
   *
   * @param listedNodes the names of the nodes that exist, as this member's view lists them
   */
  public static void start(ActorSystem<?> system, CompletionStage<?> ready, Supplier<Collection<String>> listedNodes) {
    Duration interval = system.settings().config().getDuration("daemonset.node.wake-interval");
    NodeWaker waker = new NodeWaker(system, listedNodes);
    ready.thenRunAsync(() -> system.scheduler().scheduleWithFixedDelay(Duration.ZERO, interval, waker::check,
        system.executionContext()), waker.executor);
  }

  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
            replyTo -> new GetShardRegionState(NodeEntity.ENTITY_TYPE_KEY, replyTo), STATS_TIMEOUT, system.scheduler())
        .thenCompose(here -> AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                sharding.shardState(),
                replyTo -> new GetClusterShardingStats(NodeEntity.ENTITY_TYPE_KEY, STATS_TIMEOUT, replyTo),
                STATS_TIMEOUT.plusSeconds(2), system.scheduler())
            .thenApplyAsync(cluster -> toWake(listedNodes.get(), shardOf, runningHere(here), hostedAnywhere(cluster)),
                executor))
        .whenCompleteAsync((nodes, failure) -> {
          checking.set(false);
          if (failure != null) {
            LOG.debug("node wake check skipped: {}", failure.toString());
            return;
          }
          if (!nodes.isEmpty()) {
            LOG.info("waking {} node entities that should run and did not (first: {})", nodes.size(), nodes.get(0));
          }
          for (String node : nodes) {
            sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, node).tell(NodeEntity.wake());
          }
        }, executor);
  }

  /** The entities running in each shard this member hosts; a shard that did not answer counts as unknown (absent). */
  private static Map<String, Set<String>> runningHere(ShardRegion.CurrentShardRegionState state) {
    Map<String, Set<String>> running = new java.util.HashMap<>();
    for (ShardRegion.ShardState shard : state.getShards()) {
      running.put(shard.shardId(), shard.getEntityIds());
    }
    for (String failed : state.getFailed()) {
      running.remove(failed);
    }
    return running;
  }

  /** Every shard some member hosts, including those whose region did not count its entities in time. */
  private static Set<String> hostedAnywhere(ShardRegion.ClusterShardingStats stats) {
    Set<String> hosted = new java.util.HashSet<>();
    for (ShardRegion.ShardRegionStats region : stats.getRegions().values()) {
      hosted.addAll(region.getStats().keySet());
      hosted.addAll(region.getFailed());
    }
    return hosted;
  }

  /**
   * The listed nodes this member should wake: those of a shard it hosts that do not run there, and those of a shard
   * nobody hosts. A shard hosted here whose entities are unknown (absent from {@code runningHere} but in
   * {@code hostedAnywhere}) is left for the next check.
   */
  static List<String> toWake(Collection<String> listed, Function<String, String> shardOf,
                             Map<String, Set<String>> runningHere, Set<String> hostedAnywhere) {
    List<String> wake = new ArrayList<>();
    for (String node : listed) {
      String shard = shardOf.apply(node);
      Set<String> running = runningHere.get(shard);
      if (running != null ? !running.contains(node) : !hostedAnywhere.contains(shard)) {
        wake.add(node);
      }
    }
    return wake;
  }
}
