package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.PodSpec;
import io.daemonset.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations (with v1helper.AddOrUpdateTolerationInPodSpec),
 * whose list daemonset-semantics.md gives; upstream tests it only through whole syncs, so these rows are ours.
 */
class DaemonTolerationsTest {

  static final List<Toleration> AUTO = List.of(
      Toleration.exists("node.kubernetes.io/not-ready", "NoExecute"),
      Toleration.exists("node.kubernetes.io/unreachable", "NoExecute"),
      Toleration.exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
      Toleration.exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
      Toleration.exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
      Toleration.exists("node.kubernetes.io/unschedulable", "NoSchedule"));
  static final Toleration NETWORK = Toleration.exists("node.kubernetes.io/network-unavailable", "NoSchedule");
  static final Toleration USER = new Toleration("dedicated", "Equal", "gpu", "NoSchedule", null);

  static List<Toleration> concat(List<Toleration> a, List<Toleration> b) {
    List<Toleration> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static Stream<Arguments> cases() {
    Toleration notReady300 = new Toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 300L);
    Toleration notReadyEqual = new Toleration("node.kubernetes.io/not-ready", null, null, "NoExecute", null);
    return Stream.of(
        Arguments.of("no tolerations: the six automatic ones", spec(), AUTO),
        Arguments.of("hostNetwork adds network-unavailable", spec().withHostNetwork(true), concat(AUTO, List.of(NETWORK))),
        Arguments.of("hostNetwork=false does not", spec().withHostNetwork(false), AUTO),
        Arguments.of("user tolerations stay first", spec().withTolerations(List.of(USER)),
            concat(List.of(USER), AUTO)),
        Arguments.of("an identical toleration is not duplicated", spec().withTolerations(List.of(AUTO.get(3))),
            concat(List.of(AUTO.get(3)), concat(AUTO.subList(0, 3), AUTO.subList(4, 6)))),
        Arguments.of("same toleration with tolerationSeconds is updated in place (infinite)",
            spec().withTolerations(List.of(USER, notReady300)), concat(List.of(USER, AUTO.get(0)), AUTO.subList(1, 6))),
        Arguments.of("a different operator is another toleration: both kept",
            spec().withTolerations(List.of(notReadyEqual)), concat(List.of(notReadyEqual), AUTO)),
        Arguments.of("applying twice changes nothing", DaemonTolerations.withDaemonTolerations(spec().withHostNetwork(true)),
            concat(AUTO, List.of(NETWORK))));
  }

  @ParameterizedTest(name = "AddOrUpdateDaemonPodTolerations/{0}")
  @MethodSource("cases")
  void withDaemonTolerations(String name, PodSpec in, List<Toleration> expected) {
    PodSpec out = DaemonTolerations.withDaemonTolerations(in);
    assertThat(out.tolerations()).containsExactlyElementsOf(expected);
    assertThat(out.withTolerations(in.tolerations())).isEqualTo(in); // nothing else changes
  }
}
