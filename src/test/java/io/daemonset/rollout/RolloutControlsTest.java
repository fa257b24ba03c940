package io.daemonset.rollout;

import static io.daemonset.rollout.Script.check;
import static io.daemonset.rollout.Script.markPodsReady;
import static io.daemonset.rollout.Script.sync;
import static io.daemonset.rollout.Script.template;
import static io.daemonset.rollout.Strategies.maxSurge;
import static io.daemonset.rollout.Strategies.maxUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rollout controls upstream lacks, replayed sync by sync as upstream's update tests are, with the rollout
 * invariants checked around every sync: partition (OpenKruise), paused, frozen, an update scope (the
 * rollingUpdate selector, or the canary nodes) and the revision nodes get while a canary holds.
 */
class RolloutControlsTest {

  static Stream<Named<Script>> scripts() {
    return Stream.of(
        Named.of("partition 7 of 10 leaves 7 pods on the old revision", Script.of(maxUnavailable(2),
            c -> c.addNodes(0, 10), sync(10, 0), markPodsReady(), template("h2"), controls(0, false, false, 7),
            sync(0, 2), sync(2, 0), markPodsReady(),
            sync(0, 1), sync(1, 0), markPodsReady(),
            sync(0, 0), revisions(Map.of("h1", 7L, "h2", 3L)),
            controls(0, false, false, 0), sync(0, 2), sync(2, 0))),
        Named.of("partition with surge: only desired - partition new pods", Script.of(maxSurge(3),
            c -> c.addNodes(0, 5), sync(5, 0), markPodsReady(), template("h2"), controls(0, false, false, 3),
            sync(2, 0), markPodsReady(), sync(0, 2), sync(0, 0), revisions(Map.of("h1", 3L, "h2", 2L)))),
        Named.of("a node that joins during a partitioned rollout gets the new revision (OpenKruise)",
            Script.of(maxUnavailable(1), c -> c.addNodes(0, 3), sync(3, 0), markPodsReady(), template("h2"),
            controls(0, false, false, 3), sync(0, 0), check(c -> c.addNodes(3, 1)), sync(1, 0),
            check(c -> assertThat(c.revisionsOn("node-3")).containsExactly("h2")))),
        Named.of("paused: no pod is replaced, a node that joins still gets one", Script.of(maxUnavailable(2),
            c -> c.addNodes(0, 4), sync(4, 0), markPodsReady(), template("h2"), controls(0, true, false, 0),
            sync(0, 0), check(c -> c.addNodes(4, 1)), sync(1, 0), sync(0, 0),
            // the new node's pod is not ready yet: it spends one of the two unavailable
            controls(0, false, false, 0), sync(0, 1))),
        Named.of("frozen: nothing is created or deleted at all", Script.of(maxUnavailable(2),
            c -> c.addNodes(0, 4), sync(4, 0), markPodsReady(), controls(0, false, true, 0),
            check(c -> c.addNodes(4, 1)), sync(0, 0), template("h2"), sync(0, 0),
            check(c -> c.removeNode("node-0")), sync(0, 0),
            // thawed: the gone node's pod goes, the new node gets one; both count unavailable (maxUnavailable 2)
            controls(0, false, false, 0), sync(1, 1), sync(0, 1))),
        Named.of("update scope: only nodes in scope are updated; clearing it continues everywhere",
            Script.of(maxUnavailable(3), c -> c.addNodes(0, 6), sync(6, 0), markPodsReady(), template("h2"),
            scope(Set.of("node-1", "node-4"), null), sync(0, 2), sync(2, 0), markPodsReady(), sync(0, 0),
            check(c -> assertThat(c.revisionsOn("node-1")).containsExactly("h2")),
            check(c -> assertThat(c.revisionsOn("node-4")).containsExactly("h2")),
            revisions(Map.of("h1", 4L, "h2", 2L)),
            scope(null, null), sync(0, 3), sync(3, 0), markPodsReady(), sync(0, 1), sync(1, 0),
            revisions(Map.of("h2", 6L)))),
        Named.of("while a canary holds, nodes that join get the stable revision (Nomad)",
            Script.of(maxUnavailable(1), c -> c.addNodes(0, 3), sync(3, 0), markPodsReady(), template("h2"),
            scope(Set.of("node-0"), "h1"), sync(0, 1), sync(1, 0), markPodsReady(),
            check(c -> c.addNodes(3, 1)), sync(1, 0),
            check(c -> assertThat(c.revisionsOn("node-0")).containsExactly("h2")),
            check(c -> assertThat(c.revisionsOn("node-3")).containsExactly("h1")),
            scope(null, null), markPodsReady(), sync(0, 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void replays(Script script) {
    script.run();
  }

  private static Script.Step controls(int ignored, boolean paused, boolean frozen, int partition) {
    return c -> c.controls = new RolloutControls(frozen, paused, partition, null, null);
  }

  private static Script.Step scope(Set<String> nodes, String creationHash) {
    return c -> c.controls = new RolloutControls(false, false, 0, nodes, creationHash);
  }

  private static Script.Step revisions(Map<String, Long> expected) {
    return c -> assertThat(c.podsByRevision()).isEqualTo(expected);
  }
}
