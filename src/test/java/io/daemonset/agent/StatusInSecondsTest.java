package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Json;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent compares what it reports with what it reported, as the API stores it: {@link PodStatuses#inSeconds} must
 * give exactly what a round trip through the API's JSON gives (what the agent did before), for every shape of status.
 */
class StatusInSecondsTest {
  private static final Instant NANOS = Instant.parse("2026-12-04T00:51:31.123456789Z");
  private static final Instant MILLIS = Instant.parse("2026-12-04T00:51:32.5Z");
  private static final Instant WHOLE = Instant.parse("2026-12-04T00:51:33Z");
  private static final Instant BEFORE_1970 = Instant.parse("1969-12-31T23:59:59.75Z");

  static Stream<PodStatus> statuses() {
    ContainerStatus running = new ContainerStatus("app", new ContainerState(null, new ContainerState.Running(NANOS),
        null), new ContainerState(null, null, new ContainerState.Terminated(137, 9, "OOMKilled", "killed", MILLIS,
        NANOS, "hollow://x")), true, 2, "busybox:1", "sha256:1", "hollow://y", true);
    ContainerStatus waiting = new ContainerStatus("side", new ContainerState(
        new ContainerState.Waiting("CrashLoopBackOff", "back-off 10s"), null, null), null, false, 0, "img", null,
        null, null);
    ContainerStatus terminated = new ContainerStatus("init", new ContainerState(null, null,
        new ContainerState.Terminated(0, null, "Completed", null, BEFORE_1970, WHOLE, null)), null, false, 0, "img",
        "", "", false);
    ContainerStatus empty = new ContainerStatus("none", null, null, false, 0, null, null, null, null);
    List<PodCondition> conditions = List.of(
        new PodCondition("Initialized", "True", null, NANOS, null, null),
        new PodCondition("Ready", "False", MILLIS, NANOS, "ContainersNotReady", "containers with unready status: [a]"),
        new PodCondition("PodScheduled", "True", null, null, null, null));
    return Stream.of(
        PodStatus.pending(),
        new PodStatus(null, null, null, null, null, null, null, null, null),
        new PodStatus("Running", conditions, "msg", "reason", "10.0.0.1", "10.1.0.1", NANOS, List.of(running, waiting),
            List.of(terminated)),
        new PodStatus("Running", List.of(), null, null, "", "", WHOLE, List.of(), List.of()),
        new PodStatus("Failed", new ArrayList<>(conditions), null, "Evicted", null, null, BEFORE_1970,
            List.of(empty), null),
        PodStatuses.build(TestPods.pod("default", "p", "n1"), List.of(running), null, null, null, MILLIS, "10.0.0.2",
            "10.1.0.2", NANOS));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void isWhatTheApisJsonGivesBack(PodStatus status) {
    PodStatus roundTrip = Json.convert(status, PodStatus.class);
    assertThat(PodStatuses.inSeconds(status)).isEqualTo(roundTrip);
    assertThat(PodStatuses.inSeconds(roundTrip)).isEqualTo(roundTrip);
  }
}
