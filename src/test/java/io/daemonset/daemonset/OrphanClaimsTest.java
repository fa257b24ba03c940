package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Node;
import io.daemonset.node.Fleet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Where a DaemonSet claims orphans, and what it costs (issue 10 item 1): a count of ClaimOrphans messages. */
class OrphanClaimsTest {

  static DaemonSetState created() {
    return DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(
        DaemonSetObjects.forCreate(DaemonSetEntityTest.daemonSet(), ReconcileWorld.T0), DaemonSetEntityTest.ALICE));
  }

  static Map<String, Node> nodes(int count) {
    Map<String, Node> nodes = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      nodes.put("node-" + i, DaemonSetEntityTest.node("node-" + i));
    }
    return nodes;
  }

  /**
   * The measure: a resync of a DaemonSet on 1,000 nodes, none holding an orphan, sent 1,000 ClaimOrphans before
   * (one per node without an admission waiting), and sends none now.
   */
  @Test
  void aFleetWithoutOrphansCostsNoClaim() {
    assertThat(OrphanClaims.targets(created(), Fleet.complete(nodes(1_000)), null)).isEmpty();
  }

  @Test
  void claimsOnlyWhereTheNamespaceHoldsOrphansAndNoAdmissionWaits() {
    Map<String, Set<String>> orphans = Map.of("node-1", Set.of("default"), "node-2", Set.of("kube-system"),
        "node-3", Set.of("default", "kube-system"), "gone", Set.of("default"));
    Fleet fleet = new Fleet(nodes(5), true, orphans);
    DaemonSetState state = created();
    assertThat(OrphanClaims.targets(state, fleet, null)).containsExactly("node-1", "node-3");
    assertThat(OrphanClaims.targets(state, fleet, Set.of("node-3"))).containsExactly("node-3");

    // an admission waits on node-1: there AdmitPod adopts instead
    DaemonSetState admitting = state.apply(new DaemonSetEntity.PodsScheduled(java.util.List.of(
        new DaemonSetEntity.ScheduledPod("logs-b", "uid-b", "node-1", "h", "new")), DaemonSetEntityTest.ALICE));
    assertThat(OrphanClaims.targets(admitting, fleet, null)).containsExactly("node-3");
  }

  @Test
  void newlyHoldingIsWhatChanged() {
    Fleet before = new Fleet(nodes(3), true, Map.of("node-1", Set.of("default")));
    Fleet after = new Fleet(nodes(3), true, Map.of("node-1", Set.of("default"), "node-2", Set.of("default")));
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(before, after, "default")).containsExactly("node-2");
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(null, after, "default"))
        .containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(after, before, "default")).isEmpty();
  }

  /**
   * Issue 10 leftover: {@code kubectl label pod X app=fluentd} on an orphan leaves the namespaces holding orphans as
   * they were; the fingerprint of the orphans' labels changes, and the node is due for a claim at once (not at the
   * next resync). Another node's unchanged orphans, and another namespace's DaemonSets' view, stay quiet.
   */
  @Test
  void aNodeWhoseOrphansWereRelabelledIsDueAgain() {
    Map<String, Set<String>> orphans = Map.of("node-1", Set.of("default"), "node-2", Set.of("default"));
    Fleet before = new Fleet(nodes(3), true, orphans, Map.of("node-1", 11, "node-2", 22));
    Fleet relabelled = new Fleet(nodes(3), true, orphans, Map.of("node-1", 12, "node-2", 22));
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(before, relabelled, "default")).containsExactly("node-1");
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(before, relabelled, "kube-system")).isEmpty();
    assertThat(OrphanClaims.newlyHoldingOrRelabelled(relabelled, relabelled, "default")).isEmpty();
    assertThat(OrphanClaims.targets(created(), relabelled,
        OrphanClaims.newlyHoldingOrRelabelled(before, relabelled, "default"))).containsExactly("node-1");
  }
}
