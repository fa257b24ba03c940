package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.node.NodeEntity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An index restored from its image serves the same objects with the same resourceVersions, and goes on from there as
 * the original does; an image whose kept versions do not match what its states derive is refused, changing nothing.
 */
class IndexImageTest {
  static final Cause CAUSE = Cause.byUser(Instant.parse("2026-12-01T00:00:00Z"), "alice", "test");
  static final List<String> RESOURCES = List.of(ObjectIndex.DAEMONSETS, ObjectIndex.NODES, ObjectIndex.PODS,
      ObjectIndex.REVISIONS, ObjectIndex.EVENTS);

  static Node node(String name, String label) {
    return new Node("v1", Node.KIND, ObjectMeta.named(null, name).withLabels(Map.of("l", label)), null, null);
  }

  static ObjectIndex history() {
    ObjectIndex index = new ObjectIndex();
    var ds = KubeEventsTest.withPodOnN1().daemonSet();
    index.apply("DaemonSet|default/a", 1, new DaemonSetEntity.DaemonSetCreated(ds, CAUSE));
    index.apply("DaemonSet|default/a", 2, new DaemonSetEntity.PodsScheduled(List.of(
        new DaemonSetEntity.ScheduledPod("a-bcdfg", "pod-uid", "n1", "hash", "test")), CAUSE));
    index.apply("Node|n1", 3, new NodeEntity.NodeRegistered(node("n1", "x"), CAUSE));
    index.apply("Node|n2", 4, new NodeEntity.NodeRegistered(node("n2", "x"), CAUSE));
    index.apply("Node|n1", 5, new NodeEntity.NodeUpdated(node("n1", "y"), CAUSE));
    return index;
  }

  static Map<String, Map<String, StoredObject>> served(ObjectIndex index) {
    Map<String, Map<String, StoredObject>> out = new TreeMap<>();
    for (String resource : RESOURCES) {
      Map<String, StoredObject> objects = new TreeMap<>();
      index.list(resource).forEach(o -> objects.put(o.key(), o));
      out.put(resource, objects);
    }
    return out;
  }

  @Test
  void aRestoredIndexServesTheSameObjectsAndGoesOnAsTheOriginal() {
    ObjectIndex original = history();
    ObjectIndex restored = new ObjectIndex();
    restored.restore(original.image());

    assertThat(served(restored)).isEqualTo(served(original));
    assertThat(restored.get(ObjectIndex.NODES, null, "n1").orElseThrow().resourceVersion()).isEqualTo(5);
    assertThat(restored.list(ObjectIndex.EVENTS)).isNotEmpty();

    var next = new NodeEntity.NodeUpdated(node("n2", "z"), CAUSE);
    assertThat(restored.apply("Node|n2", 6, next)).isEqualTo(original.apply("Node|n2", 6, next));
    assertThat(served(restored)).isEqualTo(served(original));
  }

  @Test
  void anImageWhoseVersionsDoNotMatchItsStatesIsRefusedAndChangesNothing() {
    IndexImage image = history().image();
    Map<String, Map<String, Long>> versions = new HashMap<>(image.versions());
    Map<String, Long> nodes = new HashMap<>(versions.get(ObjectIndex.NODES));
    nodes.remove("n2");
    versions.put(ObjectIndex.NODES, nodes);
    IndexImage missing = new IndexImage(image.daemonSets(), image.nodes(), image.plainObjects(), versions,
        image.events());

    ObjectIndex index = new ObjectIndex();
    assertThatThrownBy(() -> index.restore(missing)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("n2");
    assertThat(served(index).values()).allSatisfy(objects -> assertThat(objects).isEmpty());
    assertThat(index.nodeState("n1")).isEmpty();
  }
}
