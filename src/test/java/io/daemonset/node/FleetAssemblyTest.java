package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.node.ReplicatedNodeDirectory.Entry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetAssemblyTest {
  private static Entry entry(String name, String... labels) {
    Map<String, String> map = new java.util.TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new Entry(name, map, List.of(), null, null, null);
  }

  @Test
  void theFleetIsTheUnionOfTheShardsAndCompleteOnceEveryShardWasSeen() {
    FleetAssembly assembly = new FleetAssembly(2);

    Fleet first = assembly.changed("a", Map.of("n1", entry("n1"), "n2", entry("n2")));
    Fleet both = assembly.changed("b", Map.of("n3", entry("n3")));

    assertThat(first.complete()).isFalse();
    assertThat(first.nodes()).containsOnlyKeys("n1", "n2");
    assertThat(both.complete()).isTrue();
    assertThat(both.nodes().keySet()).containsExactly("n1", "n2", "n3");
  }

  @Test
  void aNodeThatDidNotChangeKeepsItsObjectAndOneThatChangedGetsANewOne() {
    FleetAssembly assembly = new FleetAssembly(1);
    Fleet before = assembly.changed("a", Map.of("n1", entry("n1"), "n2", entry("n2")));

    Fleet after = assembly.changed("a", Map.of("n1", entry("n1"), "n2", entry("n2", "ssd", "true")));

    assertThat(after.changed()).containsExactly("n2");
    assertThat(after.get("n1")).isSameAs(before.get("n1"));
    assertThat(after.get("n2")).isNotSameAs(before.get("n2"));
    assertThat(after.get("n2").metadata().labels()).containsEntry("ssd", "true");
    assertThat(before.get("n2").metadata().labelsOrEmpty()).isEmpty(); // an earlier fleet is never changed
  }

  @Test
  void aNodeGoneFromItsShardLeavesTheFleetAndADeletedShardTakesItsNodesAndCompleteness() {
    FleetAssembly assembly = new FleetAssembly(2);
    assembly.changed("a", Map.of("n1", entry("n1"), "n2", entry("n2")));
    assembly.changed("b", Map.of("n3", entry("n3")));

    Fleet removed = assembly.changed("a", Map.of("n2", entry("n2")));
    Fleet deleted = assembly.deleted("b");

    assertThat(removed.nodes().keySet()).containsExactly("n2", "n3");
    assertThat(removed.changed()).containsExactly("n1");
    assertThat(deleted.changed()).containsExactly("n3");
    assertThat(deleted.nodes().keySet()).containsExactly("n2");
    assertThat(deleted.complete()).isFalse();
  }

  @Test
  void theNamespacesWhereANodeHoldsOrphansFollowItsEntry() {
    FleetAssembly assembly = new FleetAssembly(1);
    Entry plain = entry("n1");
    Entry holding = new Entry("n1", plain.labels(), plain.taints(), null, java.util.Set.of("default"), 7);
    Entry relabelled = new Entry("n1", plain.labels(), plain.taints(), null, java.util.Set.of("default"), 8);

    Fleet orphaned = assembly.changed("a", Map.of("n1", holding, "n2", entry("n2")));
    Fleet afterRelabel = assembly.changed("a", Map.of("n1", relabelled, "n2", entry("n2")));
    Fleet adopted = assembly.changed("a", Map.of("n1", plain, "n2", entry("n2")));

    assertThat(orphaned.holdingOrphansIn("default")).containsExactly("n1");
    assertThat(orphaned.orphanLabelsOf("n1")).isEqualTo(7);
    assertThat(orphaned.changed()).containsExactlyInAnyOrder("n1", "n2");
    assertThat(afterRelabel.orphanLabelsOf("n1")).isEqualTo(8);
    assertThat(afterRelabel.changed()).containsExactly("n1");
    assertThat(adopted.orphanLabelsOf("n1")).isNull();
    assertThat(adopted.holdingOrphansIn("default")).isEmpty();
    assertThat(adopted.changed()).containsExactly("n1");
  }
}
