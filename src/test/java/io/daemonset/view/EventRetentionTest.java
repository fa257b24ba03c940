package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.daemonset.DaemonSetEntity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The view keeps the newest {@link KubeEvents#RETAINED} Kubernetes Events: once more are kept, the oldest
 * resourceVersion goes, by key among the Events of one ordering. Checked against that rule computed from every Event
 * ever stored, across the limit, through an image and its restore, with rounds of one to seven Events (a DaemonSet's
 * round that schedules several pods stores one Event per pod, all of one ordering).
 */
class EventRetentionTest {

  /** What the rule keeps of every Event stored so far: the greatest RETAINED by (resourceVersion, key). */
  static Set<String> newest(List<StoredKey> stored) {
    List<StoredKey> sorted = new ArrayList<>(stored);
    sorted.sort(Comparator.comparingLong(StoredKey::resourceVersion).thenComparing(StoredKey::key));
    return sorted.subList(Math.max(0, sorted.size() - KubeEvents.RETAINED), sorted.size()).stream()
        .map(StoredKey::key).collect(Collectors.toCollection(TreeSet::new));
  }

  record StoredKey(long resourceVersion, String key) {}

  static Set<String> kept(ObjectIndex index) {
    return index.list(ObjectIndex.EVENTS).stream().map(StoredObject::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Rounds of ordering [from, to): each schedules 1–7 pods of DaemonSet a, one Event each. */
  static void rounds(List<ObjectIndex> indexes, List<StoredKey> stored, Random random, long from, long to) {
    for (long ordering = from; ordering < to; ordering++) {
      int pods = 1 + random.nextInt(7);
      List<DaemonSetEntity.ScheduledPod> scheduled = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        scheduled.add(new DaemonSetEntity.ScheduledPod("a-" + ordering + "-" + i, "uid-" + ordering + "-" + i, "n1",
            "hash", "test"));
      }
      for (ObjectIndex index : indexes) {
        index.apply("DaemonSet|default/a", ordering, new DaemonSetEntity.PodsScheduled(scheduled, IndexImageTest.CAUSE));
      }
      for (int i = 0; i < pods; i++) {
        // KubeEvents names them <ds>.<ordering in hex>[-i]
        stored.add(new StoredKey(ordering, "default/a." + Long.toHexString(ordering) + (i == 0 ? "" : "-" + i)));
      }
    }
  }

  @Test
  void theNewestAreKeptAcrossTheLimitAndARestore() {
    Random random = new Random(9);
    ObjectIndex index = new ObjectIndex();
    index.apply("DaemonSet|default/a", 1, new DaemonSetEntity.DaemonSetCreated(
        KubeEventsTest.withPodOnN1().daemonSet(), IndexImageTest.CAUSE));
    List<StoredKey> stored = new ArrayList<>();

    rounds(List.of(index), stored, random, 2, 1_000);
    assertThat(stored.size()).isLessThan(KubeEvents.RETAINED);
    assertThat(kept(index)).isEqualTo(newest(stored));

    rounds(List.of(index), stored, random, 1_000, 2_500);
    assertThat(stored.size()).isGreaterThan(KubeEvents.RETAINED + 1_000);
    assertThat(kept(index)).hasSize(KubeEvents.RETAINED).isEqualTo(newest(stored));

    ObjectIndex restored = new ObjectIndex();
    restored.restore(index.image());
    assertThat(kept(restored)).isEqualTo(newest(stored));
    rounds(List.of(index, restored), stored, random, 2_500, 4_000);
    assertThat(kept(index)).hasSize(KubeEvents.RETAINED).isEqualTo(newest(stored));
    assertThat(kept(restored)).isEqualTo(kept(index));
  }
}
