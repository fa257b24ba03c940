package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which listed nodes a member wakes, from the shards it hosts, what runs in them and what the cluster hosts. */
class NodeWakerTest {
  /** n-a… in shard a, n-b… in shard b, n-c… in shard c. */
  static final Function<String, String> SHARD = name -> name.substring(2, 3);
  static final List<String> LISTED = List.of("n-a1", "n-a2", "n-b1", "n-c1");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("full restart: nothing hosted anywhere, every node woken",
            Map.of(), Set.of(), List.of("n-a1", "n-a2", "n-b1", "n-c1")),
        Arguments.of("everything running here: nothing to do",
            Map.of("a", Set.of("n-a1", "n-a2"), "b", Set.of("n-b1"), "c", Set.of("n-c1")), Set.of("a", "b", "c"),
            List.of()),
        Arguments.of("a shard rebalanced here, started empty: its nodes woken",
            Map.of("a", Set.of()), Set.of("a", "b", "c"), List.of("n-a1", "n-a2")),
        Arguments.of("one entity of a hosted shard not running (e.g. stopped by a failure): that one",
            Map.of("a", Set.of("n-a1")), Set.of("a", "b", "c"), List.of("n-a2")),
        Arguments.of("shards hosted elsewhere are the other member's",
            Map.of(), Set.of("a", "b", "c"), List.of()),
        Arguments.of("a dead member's shard, hosted by nobody: woken (sharding allocates it)",
            Map.of("a", Set.of("n-a1", "n-a2")), Set.of("a", "b"), List.of("n-c1")),
        Arguments.of("a shard hosted here whose entities did not answer: left for the next check",
            Map.of("b", Set.of("n-b1")), Set.of("a", "b", "c"), List.of()),
        Arguments.of("an entity running for a node not listed (deleted) wakes nothing and hides nothing",
            Map.of("a", Set.of("n-a1", "n-a9")), Set.of("a", "b", "c"), List.of("n-a2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wakesTheListedNodesThatShouldRunHereOrNowhereRun(String situation, Map<String, Set<String>> runningHere,
                                                         Set<String> hostedAnywhere, List<String> expected) {
    assertThat(NodeWaker.toWake(LISTED, SHARD, runningHere, hostedAnywhere)).as(situation)
        .containsExactlyElementsOf(expected);
  }

  /**
   * A member wakes nodes that another member hosts, of another release during a rolling upgrade: the wake is the
   * heartbeat check every release reads, written as it always was (a class and a constant name).
   */
  @Test
  void theWakeCrossesMembersAsEveryReleaseWroteIt() {
    ActorTestKit kit = ActorTestKit.create();
    try {
      Serialization serialization = SerializationExtension.get(kit.system().classicSystem());
      Object wake = NodeEntity.wake();
      var serializer = serialization.findSerializerFor(wake);
      byte[] bytes = serialization.serialize(wake).get();
      assertThat(Serializers.manifestFor(serializer, wake)).isEqualTo("io.daemonset.node.NodeEntity$CheckHeartbeat");
      assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"INSTANCE\"");
      assertThat(serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, wake))
          .get()).isSameAs(wake);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
