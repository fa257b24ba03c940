package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.Event;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Kubernetes Events the view derives for a daemon pod that finished, with upstream's reasons and messages. */
class KubeEventsTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Cause NODE = Cause.byUser(T0, "system:node:n1", "status update");

  static DaemonSetState withPodOnN1() {
    Map<String, String> labels = Map.of("app", "a");
    DaemonSet ds = DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", DaemonSet.KIND,
        ObjectMeta.named("default", "a").withUid("uid-a"), new DaemonSetSpec(LabelSelector.ofLabels(labels),
            new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(labels),
                PodSpec.of(List.of(Container.of("c", "img")))), null, null, null, null), null));
    return DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(ds, NODE))
        .apply(new DaemonSetEntity.PodsScheduled(List.of(new DaemonSetEntity.ScheduledPod("a-bcdfg", "pod-uid",
            "n1", "hash", "test")), NODE))
        .apply(new DaemonSetEntity.PodBound("a-bcdfg", NODE))
        .apply(new DaemonSetEntity.PodObserved("a-bcdfg", "Running", T0, false, NODE));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Failed    | Warning | FailedDaemonPod    | Found failed daemon pod default/a-bcdfg on node n1, will try to kill it",
      "Succeeded | Normal  | SucceededDaemonPod | Found succeeded daemon pod default/a-bcdfg on node n1, will try to delete it"})
  void aDaemonPodThatFinishesIsReportedOnceAsUpstreamDoes(String phase, String type, String reason, String message) {
    DaemonSetState running = withPodOnN1();
    DaemonSetEntity.PodObserved finished = new DaemonSetEntity.PodObserved("a-bcdfg", phase, null, false, NODE);
    List<Event> events = new KubeEvents().derive(running, finished, 42);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.message()).isEqualTo(message);
    });
    // observed again in the same phase: no second event
    assertThat(new KubeEvents().derive(running.apply(finished), finished, 43)).isEmpty();
  }

  /** Issue 10 item 2: the scheduler's FailedScheduling, on the Pod, when its node keeps it Pending; not otherwise. */
  @org.junit.jupiter.api.Test
  void aPendingDaemonPodGetsFailedSchedulingOnce() {
    io.daemonset.model.Pod pod = new io.daemonset.model.Pod("v1", "Pod",
        ObjectMeta.named("default", "a-bcdfg").withUid("pod-uid"), PodSpec.of(List.of(Container.of("c", "img"))),
        new io.daemonset.model.PodStatus("Pending", List.of(new io.daemonset.model.PodCondition("PodScheduled",
            "False", null, T0, "Unschedulable", "0/1 nodes are available: 1 Insufficient cpu.")),
            null, null, null, null, null, null));
    List<Event> events = new KubeEvents().derive(new io.daemonset.node.NodeEntity.PodAdmitted(pod, NODE), 42);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("Warning");
      assertThat(e.reason()).isEqualTo("FailedScheduling");
      assertThat(e.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
      assertThat(e.involvedObject().kind()).isEqualTo("Pod");
      assertThat(e.involvedObject().name()).isEqualTo("a-bcdfg");
      assertThat(e.source().component()).isEqualTo("default-scheduler");
    });
    io.daemonset.model.Pod fits = pod.withStatus(io.daemonset.model.PodStatus.pending());
    assertThat(new KubeEvents().derive(new io.daemonset.node.NodeEntity.PodAdmitted(fits, NODE), 43)).isEmpty();
  }
}
