package io.daemonset.console;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.journal.Journal;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;

/**
 * The Overview page: the cluster's members with their health and the shards and entities each hosts, how far this
 * member's view is behind the journal, and counts of nodes, DaemonSets and pods by state.
 */
final class Overview {
  private static final Duration ASK = Duration.ofSeconds(3);
  /** Counting the lag stops here: "more than" is all a person needs past it. */
  static final int LAG_LIMIT = 100_000;

  record MemberView(String address, String status, String roles, boolean reachable, boolean self,
                    int daemonSetShards, int daemonSetEntities, int nodeShards, int nodeEntities) {}

  record Count(String name, int count) {}

  record Counts(int nodes, int nodesReady, int nodesNotReady, int daemonSets, int pods, List<Count> podsByState) {}

  record Model(List<MemberView> members, long viewResourceVersion, long lag, boolean lagCapped, Counts counts) {}

  private Overview() {}

  static CompletionStage<Model> load(ActorSystem<?> system, ClusterView view, JdbcReadJournal journal) {
    long at = view.resourceVersion();
    CompletionStage<Map<Address, Map<String, Integer>>> dsStats = stats(system, DaemonSetEntity.ENTITY_TYPE_KEY);
    CompletionStage<Map<Address, Map<String, Integer>>> nodeStats = stats(system, NodeEntity.ENTITY_TYPE_KEY);
    CompletionStage<Long> lag = journal.currentEventsByTag(Journal.TAG, Offset.sequence(at)).take(LAG_LIMIT + 1)
        .runFold(0L, (n, e) -> n + 1, system);
    return dsStats.thenCombine(nodeStats, (ds, nodes) -> members(system, ds, nodes))
        .thenCombine(lag, (members, behind) -> new Model(members, at, Math.min(behind, LAG_LIMIT),
            behind > LAG_LIMIT, counts(view.index())));
  }

  private static List<MemberView> members(ActorSystem<?> system, Map<Address, Map<String, Integer>> ds,
                                          Map<Address, Map<String, Integer>> nodes) {
    Cluster cluster = Cluster.get(system);
    Set<Member> unreachable = cluster.state().getUnreachable();
    Address self = cluster.selfMember().address();
    List<MemberView> out = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      Map<String, Integer> d = ds.getOrDefault(member.address(), Map.of());
      Map<String, Integer> n = nodes.getOrDefault(member.address(), Map.of());
      out.add(new MemberView(member.address().toString(), member.status().toString(),
          String.join(", ", new java.util.TreeSet<>(member.getRoles())), !unreachable.contains(member),
          member.address().equals(self), d.size(), sum(d), n.size(), sum(n)));
    }
    return out;
  }

  private static int sum(Map<String, Integer> shards) {
    return shards.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Shards (and their entity counts) per member; empty for members that did not answer in time. */
  private static CompletionStage<Map<Address, Map<String, Integer>>> stats(ActorSystem<?> system,
                                                                          EntityTypeKey<?> key) {
    return AskPattern.<GetClusterShardingStats, ShardRegion.ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState().narrow(),
            replyTo -> new GetClusterShardingStats(key, ASK, replyTo), ASK.plusSeconds(1), system.scheduler())
        .thenApply(reply -> {
          Map<Address, Map<String, Integer>> out = new HashMap<>();
          reply.getRegions().forEach((address, region) -> {
            Map<String, Integer> shards = new HashMap<>();
            region.getStats().forEach((shard, entities) -> shards.put(shard, ((Number) entities).intValue()));
            out.put(address, shards);
          });
          return out;
        })
        .exceptionally(failure -> Map.of());
  }

  static Counts counts(ObjectIndex index) {
    return OverviewTally.of(index).counts();
  }

  /** Ready as the Overview counts it: the node is ready for pods and reports a Ready condition that is True. */
  static boolean ready(Node node) {
    return FleetCells.nodeReady(node) && hasReadyCondition(node);
  }

  private static boolean hasReadyCondition(Node node) {
    return node.status() != null && node.status().conditions() != null
        && node.status().conditions().stream().anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
  }

  /** Running and Ready, Running (not ready), Pending, Terminating, Succeeded, Failed. */
  static String podState(Pod pod) {
    if (pod.metadata().deletionTimestamp() != null) {
      return "Terminating";
    }
    String phase = pod.status() == null || pod.status().phase() == null ? "Pending" : pod.status().phase();
    if (phase.equals("Running")) {
      return FleetCells.ready(pod) ? "Running, ready" : "Running, not ready";
    }
    return phase;
  }
}
