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

  /** Two layouts as in a rolling upgrade: shards "c0"/"c1" current, "l0" legacy; names ending in 0 go to c0. */
  private static FleetAssembly twoLayouts() {
    return new FleetAssembly(3, name -> name.endsWith("0") ? "c0" : "c1", name -> "l0", java.util.Set.of("l0"));
  }

  @Test
  void aNodeOnlyTheLegacyLayoutHoldsIsInTheFleetAndTheCurrentLayoutDecidesOnceItHoldsIt() {
    FleetAssembly assembly = twoLayouts();
    assembly.changed("c0", Map.of());
    assembly.changed("c1", Map.of());
    // n1's entity runs on a member of the release before: only the legacy layout has it
    Fleet legacyOnly = assembly.changed("l0", Map.of("n1", entry("n1", "disk", "hdd")));
    // it moved to a member of this release, which wrote it to the current layout (and mirrored it)
    Fleet moved = assembly.changed("c1", Map.of("n1", entry("n1", "disk", "ssd")));
    // a stale legacy write (an older member's, late) changes nothing
    Fleet stale = assembly.changed("l0", Map.of("n1", entry("n1", "disk", "nvme")));

    assertThat(legacyOnly.complete()).isTrue();
    assertThat(legacyOnly.get("n1").metadata().labels()).containsEntry("disk", "hdd");
    assertThat(moved.get("n1").metadata().labels()).containsEntry("disk", "ssd");
    assertThat(moved.changed()).containsExactly("n1");
    assertThat(stale.get("n1")).isSameAs(moved.get("n1"));
    assertThat(stale.changed()).isEmpty();
  }

  @Test
  void aMirroredWriteOfWhatTheCurrentLayoutShowsIsNoChangeAndANodeRemovedFromBothLeaves() {
    FleetAssembly assembly = twoLayouts();
    Fleet written = assembly.changed("c1", Map.of("n1", entry("n1")));
    Fleet mirrored = assembly.changed("l0", Map.of("n1", entry("n1")));
    Fleet goneFromCurrent = assembly.changed("c1", Map.of());
    Fleet goneFromBoth = assembly.changed("l0", Map.of());

    assertThat(written.complete()).isFalse(); // c0 not seen yet
    assertThat(mirrored.changed()).isEmpty();
    assertThat(mirrored.get("n1")).isSameAs(written.get("n1"));
    // the legacy entry still names it, so it stays (the directory removes from both layouts: the next change)
    assertThat(goneFromCurrent.nodes()).containsKey("n1");
    assertThat(goneFromBoth.nodes()).doesNotContainKey("n1");
    assertThat(goneFromBoth.changed()).containsExactly("n1");
  }
}
