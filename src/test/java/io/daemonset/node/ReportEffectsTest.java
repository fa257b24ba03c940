package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Container;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a pod status report can bind a waiting pod or change the node's orphans. */
class ReportEffectsTest {
  static final OwnerReference DS = OwnerReference.controlledBy("apps/v1", "DaemonSet", "ds", "ds-uid");

  static Pod pod(String name, String nodeName, boolean controlled, Instant deleting) {
    ObjectMeta meta = ObjectMeta.named("default", name).withUid("uid-" + name)
        .withOwnerReferences(controlled ? List.of(DS) : null).withDeletionTimestamp(deleting);
    return new Pod("v1", "Pod", meta, PodSpec.of(List.of(Container.of("c", "busybox"))).withNodeName(nodeName), null);
  }

  static final Pod BOUND = pod("bound", "n1", true, null);
  static final Pod WAITING = pod("waiting", null, true, null);
  static final Pod WAITING_DELETED = pod("gone", null, true, Instant.EPOCH);
  static final Pod ORPHAN = pod("orphan", "n1", false, null);

  @Test
  void aWaitingPodMayBeBoundOnlyWhereOneWaits() {
    record Row(List<Pod> pods, boolean mayBind) {}
    for (Row row : List.of(
        new Row(List.of(), false),
        new Row(List.of(BOUND), false),
        new Row(List.of(BOUND, ORPHAN), false),
        new Row(List.of(WAITING_DELETED, BOUND), false), // being deleted: never bound
        new Row(List.of(BOUND, WAITING), true),
        new Row(List.of(WAITING), true))) {
      assertThat(ReportEffects.mayBindWaiting(row.pods())).as("%s", row).isEqualTo(row.mayBind());
    }
  }

  @Test
  void orphansMayChangeOnlyWhereAnOrphanIsWritten() {
    record Row(List<Pod> written, boolean mayChange) {}
    for (Row row : List.of(
        new Row(List.of(), false),
        new Row(List.of(BOUND), false),
        new Row(List.of(BOUND, WAITING), false),
        new Row(List.of(ORPHAN), true),
        new Row(List.of(BOUND, ORPHAN), true))) {
      assertThat(ReportEffects.mayChangeOrphans(row.written())).as("%s", row).isEqualTo(row.mayChange());
    }
  }
}
