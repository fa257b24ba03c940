package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.Node;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Overview's counts kept from the watch's changes agree, after every change, with a count of the whole index
 * (what the page showed when it recounted everything), through nodes and pods coming, changing state and going.
 */
class OverviewTallyTest {
  static final Cause CAUSE = Cause.byUser(Instant.parse("2026-12-01T00:00:00Z"), "alice", "test");
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private final ObjectIndex index = new ObjectIndex();
  private final OverviewTally tally = OverviewTally.of(index);
  private long ordering = 1;

  @Test
  void countsKeptFromTheChangesAreTheCountsOfTheWholeIndex() {
    assertThat(shown(tally)).isEqualTo("nodes 0 (0 ready, 0 not), 0 DaemonSets, 0 pods {}");

    apply("DaemonSet|default/agent", new DaemonSetEntity.DaemonSetCreated(FleetCellsTest.daemonSet(Map.of()), CAUSE));
    apply("Node|n1", new NodeEntity.NodeRegistered(node("n1", "True"), CAUSE));
    apply("Node|n2", new NodeEntity.NodeRegistered(node("n2", "False"), CAUSE));
    assertThat(shown(tally)).isEqualTo("nodes 2 (1 ready, 1 not), 1 DaemonSets, 0 pods {}");

    apply("Node|n1", new NodeEntity.PodAdmitted(FleetDiffTest.pod("agent-1", "n1", "h1", true, "u1"), CAUSE));
    apply("Node|n2", new NodeEntity.PodAdmitted(FleetDiffTest.pod("agent-2", "n2", "h1", false, "u1"), CAUSE));
    assertThat(shown(tally)).isEqualTo(
        "nodes 2 (1 ready, 1 not), 1 DaemonSets, 2 pods {Running, not ready=1, Running, ready=1}");

    apply("Node|n2", new NodeEntity.PodStatusUpdated(NodeState.podKey("default", "agent-2"), new PodStatus("Running",
        List.of(new PodCondition("Ready", "True", null, T, null, null)), null, null, null, null, T, List.of()), CAUSE));
    apply("Node|n2", new NodeEntity.NodeUpdated(node("n2", "True"), CAUSE));
    assertThat(shown(tally)).as("a state that no pod has any more is not listed")
        .isEqualTo("nodes 2 (2 ready, 0 not), 1 DaemonSets, 2 pods {Running, ready=2}");

    apply("Node|n1", new NodeEntity.PodDeletionStarted(NodeState.podKey("default", "agent-1"), T, 30, CAUSE));
    assertThat(shown(tally)).isEqualTo(
        "nodes 2 (2 ready, 0 not), 1 DaemonSets, 2 pods {Running, ready=1, Terminating=1}");

    apply("Node|n2", new NodeEntity.NodeRemoved(CAUSE));
    apply("DaemonSet|default/agent", new DaemonSetEntity.DaemonSetDeleted("Background", CAUSE));
    assertThat(tally.counts().nodes()).isEqualTo(1);
    assertThat(tally.counts().daemonSets()).isZero();
  }

  /** Applies one event to the index and its changes to the tally; then the tally must count what the index holds. */
  private void apply(String persistenceId, Object event) {
    for (WatchEvent change : index.apply(persistenceId, ordering++, event)) {
      tally.apply(change);
    }
    assertThat(shown(tally)).as("after %s", event.getClass().getSimpleName())
        .isEqualTo(shown(OverviewTally.of(index)));
  }

  static String shown(OverviewTally tally) {
    Overview.Counts c = tally.counts();
    return "nodes " + c.nodes() + " (" + c.nodesReady() + " ready, " + c.nodesNotReady() + " not), " + c.daemonSets()
        + " DaemonSets, " + c.pods() + " pods " + c.podsByState().stream()
        .map(s -> s.name() + "=" + s.count()).collect(Collectors.joining(", ", "{", "}"));
  }

  static Node node(String name, String ready) {
    Node base = FleetCellsTest.node(Map.of(), ready, List.of());
    return base.withMetadata(base.metadata().withName(name));
  }
}
