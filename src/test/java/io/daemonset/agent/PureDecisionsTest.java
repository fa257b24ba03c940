package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of the agent's pure decisions: readiness thresholds, crash backoff, pod phase. */
class PureDecisionsTest {

  /** results: S for success, F for failure; expected: the readiness reported after each, 1 or 0. */
  @ParameterizedTest(name = "success={0} failure={1} results={2}")
  @CsvSource({
      "1, 3, S,        1",
      "1, 3, F,        0",
      "1, 3, SFFF,     1110",
      "1, 3, SFFS,     1111",
      "1, 1, SFS,      101",
      "2, 3, SS,       01",
      "2, 3, SFSS,     0001",
      "3, 2, SSSFSF,   001111",
      "3, 2, SSSFF,    00110",
      "1, 2, SFSFSF,   111111",
  })
  void readinessThresholds(int success, int failure, String results, String expected) {
    ProbeState state = ProbeState.initial();
    StringBuilder reported = new StringBuilder();
    for (char r : results.toCharArray()) {
      state = state.next(r == 'S', success, failure);
      reported.append(state.ready() ? '1' : '0');
    }
    assertThat(reported.toString()).isEqualTo(expected);
  }

  @Test
  void crashBackoffDoublesFromBaseToMaxAfterAnImmediateFirstRestart() {
    Duration base = Duration.ofSeconds(10);
    Duration max = Duration.ofMinutes(5);
    CrashBackoff b = CrashBackoff.none();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Duration d = b.delayAfter(t, max);
      delays.add(d.toSeconds());
      t = t.plus(d).plusSeconds(1);
      b = b.restarted(t.minusSeconds(1).minus(d), base, max);
    }
    assertThat(delays).containsExactly(0L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
  }

  @Test
  void crashBackoffStartsOverAfterTwiceTheMaximumWithoutARestart() {
    Duration base = Duration.ofSeconds(10);
    Duration max = Duration.ofMinutes(5);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    CrashBackoff b = CrashBackoff.none().restarted(t, base, max).restarted(t.plusSeconds(20), base, max);
    assertThat(b.delayAfter(t.plusSeconds(60), max)).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.delayAfter(t.plusSeconds(20 + 601), max)).isZero();
    assertThat(b.restarted(t.plusSeconds(20 + 601), base, max).backoff()).isEqualTo(base);
  }

  /** containers: R running, W waiting (never ran), C crash-looping (waiting after a run), 0 exited 0, 1 exited 1. */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "Always,    R,   Running",
      "Always,    W,   Pending",
      "Always,    RW,  Pending",
      "Always,    C,   Running",
      "Always,    RC,  Running",
      "Always,    1,   Running",
      "Always,    0,   Running",
      "OnFailure, 0,   Succeeded",
      "OnFailure, 01,  Running",
      "OnFailure, R0,  Running",
      "Never,     0,   Succeeded",
      "Never,     01,  Failed",
      "Never,     R1,  Running",
      "Always,    '',  Pending",
  })
  void podPhase(String policy, String containers, String phase) {
    assertThat(PodStatuses.phase(policy, statuses("c", containers))).isEqualTo(phase);
  }

  /**
   * Init containers (same letters) before the containers: one that has not completed keeps the pod Pending unless a
   * container has started already; one that failed fails the pod under restartPolicy Never.
   */
  @ParameterizedTest(name = "{0} inits {1} containers {2} -> {3}, incomplete {4}")
  @CsvSource({
      "Always,    W,   W,  Pending,   i0",
      "Always,    0R,  W,  Pending,   i1",
      "Always,    00,  W,  Pending,   ''",
      "Always,    00,  R,  Running,   ''",
      "Always,    1,   W,  Pending,   i0",
      "Always,    C,   W,  Pending,   i0",
      "Always,    C,   R,  Running,   ''",
      "OnFailure, 1,   W,  Pending,   i0",
      "Never,     1,   W,  Failed,    i0",
      "Never,     0W,  W,  Pending,   i1",
      "Always,    '',  R,  Running,   ''",
  })
  void podPhaseWithInitContainers(String policy, String inits, String containers, String phase, String incomplete) {
    List<ContainerStatus> initStatuses = statuses("i", inits);
    List<ContainerStatus> statuses = statuses("c", containers);
    assertThat(PodStatuses.phase(policy, initStatuses, statuses)).isEqualTo(phase);
    assertThat(String.join(",", PodStatuses.incompleteInits(initStatuses, statuses))).isEqualTo(incomplete);
  }

  static List<ContainerStatus> statuses(String prefix, String containers) {
    List<ContainerStatus> statuses = new ArrayList<>();
    int i = 0;
    for (char c : containers.toCharArray()) {
      ContainerState none = new ContainerState(null, null, null);
      ContainerState.Terminated exited = new ContainerState.Terminated(c == '0' ? 0 : 1, null, null, null, null, null,
          null);
      ContainerState state = switch (c) {
        case 'R' -> new ContainerState(null, new ContainerState.Running(Instant.EPOCH), null);
        case 'W', 'C' -> new ContainerState(new ContainerState.Waiting("X", null), null, null);
        default -> new ContainerState(null, null, exited);
      };
      ContainerState last = c == 'C' ? new ContainerState(null, null, exited) : none;
      statuses.add(new ContainerStatus(prefix + i++, state, last, false, 0, "", "", null, null));
    }
    return statuses;
  }
}
