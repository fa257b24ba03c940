package io.daemonset.cluster;

import static io.daemonset.cluster.ControllerScenarioContract.register;
import static io.daemonset.cluster.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static io.daemonset.testing.Eventually.await;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.model.Node;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ObjectIndex;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node entities are not remembered: when a member leaves, the shards it held start empty on the other member, and
 * that member's NodeWaker starts their nodes there, so that the silence of their agents is still noticed.
 */
class NodeWakeAcrossMembersTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final List<String> NODES = IntStream.rangeClosed(1, 16).mapToObj(i -> "w" + i).toList();

  @TempDir Path dataDir;

  @Test
  void theNodesOfAMemberThatLeftStartOnTheOtherAndTheirSilenceIsNoticed() throws Exception {
    // the first member notices a silence after 2 s, the second only after 10 min (never, in this test)
    try (ControlPlane first = start(member(List.of()).withExtraConfig("""
        daemonset.node.heartbeat-grace = 2s
        daemonset.node.wake-interval = 1s
        """))) {
      Address seed = new Address(first.member().selfAddress().getHost().get(),
          (Integer) first.member().selfAddress().getPort().get());
      Set<String> onSecond;
      try (ControlPlane second = start(member(List.of(seed.host() + ":" + seed.port()))
          .withExtraConfig("daemonset.node.heartbeat-grace = 10m"))) {
        for (String name : NODES) {
          register(first, node(name, Map.of(), null));
        }
        onSecond = hostedNodes(second);
        assertThat(onSecond).as("nodes hosted by the second member").isNotEmpty().isNotEqualTo(Set.copyOf(NODES));
        await("the first member's nodes tainted unreachable", WAIT).until(() -> NODES.stream()
            .filter(n -> !onSecond.contains(n)).allMatch(n -> unreachable(first, n)));
        assertThat(onSecond).as("the second member's nodes, still within their grace").noneMatch(n -> unreachable(first, n));
      } // the second member leaves: its shards are handed over to the first, empty
      await("the nodes of the member that left run on the first and turn unreachable", WAIT)
          .until(() -> onSecond.stream().allMatch(n -> unreachable(first, n)));
    }
  }

  record Address(String host, int port) {}

  private Settings member(List<String> seeds) {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0).withSeedNodes(seeds);
  }

  private static ControlPlane start(Settings settings) throws Exception {
    ControlPlane plane = ControlPlane.start(settings, Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(WAIT);
    } catch (Exception e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  private static Set<String> hostedNodes(ControlPlane plane) throws Exception {
    ShardRegion.CurrentShardRegionState state = AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(plane.system()).shardState(),
            replyTo -> new GetShardRegionState(NodeEntity.ENTITY_TYPE_KEY, replyTo), Duration.ofSeconds(10),
            plane.system().scheduler())
        .toCompletableFuture().get();
    return state.getShards().stream().flatMap(s -> s.getEntityIds().stream()).collect(Collectors.toSet());
  }

  private static boolean unreachable(ControlPlane plane, String name) {
    return plane.view().index().get(ObjectIndex.NODES, null, name)
        .map(o -> ((Node) o.object()).spec().taintsOrEmpty().size() == 2).orElse(false);
  }
}
