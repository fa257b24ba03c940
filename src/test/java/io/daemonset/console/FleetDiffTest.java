package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.placement.Selector;
import io.daemonset.rollout.Revisions;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet map's live update: what the page is sent given what it has and the nodes looked at again (a table), and
 * the per-node look-up the feed makes for a changed node agreeing with the whole map the page is rendered from.
 */
class FleetDiffTest {
  static final Cause CAUSE = Cause.byUser(Instant.parse("2026-12-01T00:00:00Z"), "alice", "test");

  /** "n1=u n2=o" → map; "n3=-" means looked at and not shown (null). */
  static Map<String, String> cells(String spec) {
    Map<String, String> out = new HashMap<>();
    for (String pair : spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+")) {
      String[] kv = pair.split("=");
      out.put(kv[0], "-".equals(kv[1]) ? null : kv[1]);
    }
    return out;
  }

  static Stream<Arguments> diffs() {
    return Stream.of(
        Arguments.of("first message: every cell is new", "", "n2=o n10=u n1=u", "n1=u n2=o n10=u", ""),
        Arguments.of("nothing looked at: nothing sent", "n1=u n2=o", "", "", ""),
        Arguments.of("looked at, unchanged: nothing sent", "n1=u n2=o", "n1=u n2=o", "", ""),
        Arguments.of("only the changed cell", "n1=u n2=o n3=o", "n2=s n3=o", "n2=s", ""),
        Arguments.of("a node that joined", "n1=u", "n2=m", "n2=m", ""),
        Arguments.of("a node that left or no longer matches the filter", "n1=u n2=o n10=x", "n10=- n2=-", "",
            "n2 n10"),
        Arguments.of("not shown and never sent: nothing", "n1=u", "n9=-", "", ""),
        Arguments.of("everything at once", "n1=o n2=o n3=o", "n1=x n2=- n3=o n4=n", "n1=x n4=n", "n2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diffs")
  void whatThePageIsSent(String name, String sent, String looked, String changed, String removed) {
    Map<String, String> had = cells(sent);
    FleetDiff diff = FleetDiff.between(had, cells(looked));

    assertThat(diff.changed()).isEqualTo(cells(changed));
    assertThat(String.join(" ", diff.changed().keySet())).as("natural node order")
        .isEqualTo(String.join(" ", new java.util.TreeMap<>(cells(changed)).keySet().stream()
            .sorted(NaturalOrder.INSTANCE).toList()));
    assertThat(String.join(" ", diff.removed())).isEqualTo(removed);
    assertThat(diff.isEmpty()).isEqualTo(changed.isEmpty() && removed.isEmpty());

    // once applied, what was sent is what was looked at, over what was not
    diff.applyTo(had);
    Map<String, String> expected = cells(sent);
    cells(looked).forEach((node, code) -> {
      if (code == null) {
        expected.remove(node);
      } else {
        expected.put(node, code);
      }
    });
    assertThat(had).isEqualTo(expected);
  }

  @Test
  void theMessageCarriesNamesAndStateCodesAsTwoStringsInNaturalOrder() {
    FleetDiff diff = FleetDiff.between(cells("n1=o n3=o n4=u"), cells("n10=x n2=u n1=s n3=- n4=-"));
    Map<String, Integer> counts = new java.util.LinkedHashMap<>(Map.of("u", 1));

    assertThat(io.daemonset.model.Json.write(diff.message(false, counts)))
        .isEqualTo("{\"nodes\":\"n1 n2 n10\",\"states\":\"sux\",\"removed\":\"n3 n4\",\"full\":false,"
            + "\"counts\":{\"u\":1}}");
    assertThat(io.daemonset.model.Json.write(FleetDiff.between(Map.of(), Map.of()).message(true, Map.of())))
        .as("a first message over an empty map still replaces the page's cells")
        .isEqualTo("{\"nodes\":\"\",\"states\":\"\",\"removed\":\"\",\"full\":true,\"counts\":{}}");
  }

  @Test
  void aNodeLookedUpAloneHasTheCellTheWholeMapGivesIt() {
    DaemonSet ds = FleetCellsTest.daemonSet(Map.of("disk", "ssd"));
    String current = FleetCells.currentHash(ds);
    ObjectIndex index = new ObjectIndex();
    index.apply("DaemonSet|default/agent", 1, new DaemonSetEntity.DaemonSetCreated(ds, CAUSE));
    long ordering = 2;
    Map<String, Map<String, String>> labels = Map.of("n1", Map.of("disk", "ssd", "zone", "a"),
        "n2", Map.of("disk", "ssd", "zone", "a"), "n3", Map.of("disk", "ssd", "zone", "b"),
        "n4", Map.of("zone", "a"), "n5", Map.of("disk", "ssd", "zone", "a"));
    for (var node : new java.util.TreeMap<>(labels).entrySet()) {
      index.apply("Node|" + node.getKey(), ordering++, new NodeEntity.NodeRegistered(node(node.getKey(),
          node.getValue()), CAUSE));
    }
    // n1 updated and ready; n2 old and ready; n3 two pods during a surge (the current one shows); n5 not ready yet;
    // n4 not eligible, no pod; and a pod of another DaemonSet on n2 that must not count
    index.apply("Node|n1", ordering++, new NodeEntity.PodAdmitted(pod("agent-1", "n1", current, true, "u1"), CAUSE));
    index.apply("Node|n2", ordering++, new NodeEntity.PodAdmitted(pod("agent-2", "n2", "0ld", true, "u1"), CAUSE));
    index.apply("Node|n2", ordering++, new NodeEntity.PodAdmitted(pod("other-2", "n2", current, false, "u2"), CAUSE));
    index.apply("Node|n3", ordering++, new NodeEntity.PodAdmitted(pod("agent-3a", "n3", "0ld", true, "u1"), CAUSE));
    index.apply("Node|n3", ordering++, new NodeEntity.PodAdmitted(pod("agent-3b", "n3", current, false, "u1"), CAUSE));
    index.apply("Node|n5", ordering++, new NodeEntity.PodAdmitted(pod("agent-5", "n5", current, false, "u1"), CAUSE));

    DaemonSet served = Pages.daemonSet(index, "default/agent").orElseThrow();
    String hash = FleetCells.currentHash(served, index);
    for (Selector filter : new Selector[] {null, Selector.parse("zone=a")}) {
      FleetModel whole = FleetModel.of(index, served, filter);
      Set<String> shown = new HashSet<>();
      for (String node : List.of("n1", "n2", "n3", "n4", "n5", "gone")) {
        FleetModel.Cell alone = FleetModel.cell(index, served, hash, filter, node);
        assertThat(alone).as(node + " with filter " + filter).isEqualTo(whole.cells().get(node));
        if (alone != null) {
          shown.add(node);
        }
      }
      assertThat(shown).isEqualTo(whole.cells().keySet());
    }
    FleetModel whole = FleetModel.of(index, served, null);
    assertThat(whole.cells().values().stream().map(c -> c.node() + "=" + c.state().code() + ":" + c.pod()).toList())
        .containsExactly("n1=u:agent-1", "n2=o:agent-2", "n3=s:agent-3b", "n4=n:null", "n5=s:agent-5");
    assertThat(FleetModel.cell(index, null, null, null, "n1").state()).isEqualTo(CellState.NOT_ELIGIBLE);
  }

  static Node node(String name, Map<String, String> labels) {
    Node base = FleetCellsTest.node(labels, "True", List.of());
    return base.withMetadata(base.metadata().withName(name));
  }

  static Pod pod(String name, String node, String hash, boolean ready, String ownerUid) {
    Pod base = FleetCellsTest.pod(hash, ready, 0, null, false);
    return base.withMetadata(base.metadata().withName(name).withLabels(Map.of(Revisions.HASH_LABEL, hash))
            .withOwnerReferences(List.of(OwnerReference.controlledBy("apps/v1", "DaemonSet", "agent", ownerUid))))
        .withSpec(base.spec().withNodeName(node));
  }
}
