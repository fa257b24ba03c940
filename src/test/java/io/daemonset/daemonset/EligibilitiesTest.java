package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Taint;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import io.daemonset.placement.NodeEligibility;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A reconcile reuses the last judgement of a node whose object did not change, and only then. */
class EligibilitiesTest {
  static final Map<String, String> SSD = Map.of("disk", "ssd");
  static final DaemonSet ON_SSD = ReconcileWorld.daemonSet(s -> ReconcilerTest.nodeSelector(s, SSD));

  @Test
  void anUnchangedNodeKeepsItsJudgementAndAChangedOneIsJudgedAgain() {
    Fleet before = fleet(ReconcileWorld.node("a", SSD), ReconcileWorld.node("b", Map.of()),
        ReconcileWorld.node("c", Map.of()));
    Eligibilities first = Eligibilities.of(ON_SSD, before, Eligibilities.NONE);
    assertThat(first.byNode()).isEqualTo(fresh(ON_SSD, before));

    Map<String, Node> nodes = new TreeMap<>(before.nodes());
    nodes.put("b", ReconcileWorld.node("b", SSD)); // relabelled: a new object
    nodes.put("d", ReconcileWorld.node("d", SSD, new Taint("gpu", "x", Taint.NO_SCHEDULE, null))); // joined
    nodes.remove("a"); // left
    Fleet after = new Fleet(nodes, true);
    Eligibilities second = Eligibilities.of(ON_SSD, after, first);

    assertThat(second.byNode()).isEqualTo(fresh(ON_SSD, after));
    assertThat(second.byNode()).containsOnlyKeys("b", "c", "d");
    assertThat(second.byNode().get("c")).as("c is the same object: its judgement is reused")
        .isSameAs(first.byNode().get("c"));
    assertThat(second.byNode().get("b").shouldRun()).as("b judged again").isTrue();
    assertThat(second.byNode().get("d").shouldRun()).isFalse();
  }

  @Test
  void aNewTemplateJudgesEveryNodeAgain() {
    Fleet fleet = fleet(ReconcileWorld.node("a", SSD), ReconcileWorld.node("b", Map.of()));
    Eligibilities onSsd = Eligibilities.of(ON_SSD, fleet, Eligibilities.NONE);
    DaemonSet anywhere = ReconcileWorld.daemonSet(s -> s);

    Eligibilities again = Eligibilities.of(anywhere, fleet, onSsd);

    assertThat(again.byNode()).isEqualTo(fresh(anywhere, fleet));
    assertThat(again.byNode().get("b").shouldRun()).isTrue();
    assertThat(again.byNode().get("b")).isNotSameAs(onSsd.byNode().get("b"));
  }

  @Test
  void theAnswersAreInNodeNameOrder() {
    Map<String, Node> unordered = new LinkedHashMap<>();
    for (String name : new String[] {"n3", "n1", "n2"}) {
      unordered.put(name, ReconcileWorld.node(name, SSD));
    }
    assertThat(Eligibilities.of(ON_SSD, new Fleet(unordered, true), Eligibilities.NONE).byNode().keySet())
        .containsExactly("n1", "n2", "n3");
  }

  private static Fleet fleet(Node... nodes) {
    Map<String, Node> byName = new TreeMap<>();
    for (Node node : nodes) {
      byName.put(node.name(), node);
    }
    return new Fleet(byName, true);
  }

  private static Map<String, Eligibility> fresh(DaemonSet ds, Fleet fleet) {
    Map<String, Eligibility> out = new TreeMap<>();
    fleet.nodes().values().forEach(node -> out.put(node.name(), NodeEligibility.evaluate(node, ds)));
    return out;
  }
}
