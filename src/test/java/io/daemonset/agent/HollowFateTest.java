package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Test fates a pod template gives hollow pods: parsing, the draw per node and revision, and crash-looping. */
class HollowFateTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "crash-loop|CRASH_LOOP|1.0|0",
      "never-ready;fraction=0.25|NEVER_READY|0.25|0",
      "ready-after=30s|READY_AFTER|1.0|30",
      "crash-loop;nodes=zone=b;fraction=0.5|CRASH_LOOP|0.5|0"})
  void parsesTheAnnotation(String value, HollowFate.Kind kind, double fraction, long readyAfterSeconds) {
    HollowFate fate = HollowFate.parse(value).orElseThrow();
    assertThat(fate.kind()).isEqualTo(kind);
    assertThat(fate.fraction()).isEqualTo(fraction);
    assertThat(fate.readyAfter()).isEqualTo(Duration.ofSeconds(readyAfterSeconds));
  }

  @ParameterizedTest(name = "\"{0}\" gives no fate")
  @CsvSource({"''", "explode", "crash-loop;fraction=2", "ready-after=soon"})
  void anUnreadableAnnotationGivesNoFate(String value) {
    assertThat(HollowFate.parse(value)).isEmpty();
  }

  @Test
  void theDrawIsPerNodeAndRevisionSoARecreatedPodKeepsItsFate() {
    HollowFate fate = HollowFate.parse("crash-loop;fraction=0.3").orElseThrow();
    long hit = IntStream.range(0, 10_000).filter(i -> fate.appliesTo("node-" + i, Map.of(), "abc")).count();
    assertThat(hit / 10_000.0).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.02));
    for (int i = 0; i < 200; i++) {
      assertThat(fate.appliesTo("node-" + i, Map.of(), "abc")).isEqualTo(fate.appliesTo("node-" + i, Map.of(), "abc"));
    }
    long sameOnOtherRevision = IntStream.range(0, 10_000)
        .filter(i -> fate.appliesTo("node-" + i, Map.of(), "abc") == fate.appliesTo("node-" + i, Map.of(), "def"))
        .count();
    assertThat(sameOnOtherRevision).isLessThan(10_000);
    HollowFate zoneB = HollowFate.parse("never-ready;nodes=zone=b").orElseThrow();
    assertThat(zoneB.appliesTo("n", Map.of("zone", "a"), "abc")).isFalse();
    assertThat(zoneB.appliesTo("n", Map.of("zone", "b"), "abc")).isTrue();
  }

  @Test
  void restartsFollowKubeletsBackoff() {
    assertThat(HollowFate.restartsBy(T0, T0)).isZero();
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(9))).isZero();
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(10))).isEqualTo(1);
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(30))).isEqualTo(2);
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(70))).isEqualTo(3);
    // 10+20+40+80+160 = 310, then every 300 s
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(310))).isEqualTo(5);
    assertThat(HollowFate.restartsBy(T0, T0.plusSeconds(610))).isEqualTo(6);
  }

  @Test
  void aCrashLoopingPodIsRunningNotReadyInCrashLoopBackOffWithRisingRestarts() {
    MutableClock clock = new MutableClock(T0);
    HollowRuntime runtime = new HollowRuntime(HollowBehavior.allReady(Duration.ZERO), Map.of(), "10.0.0.7", scheduler,
        clock);
    Pod pod = withFate(TestPods.pod("agent-x", Container.of("app", "agent:2")), "crash-loop", "rev2");
    runtime.ensureRunning(pod);
    clock.now = T0.plusSeconds(35);
    PodStatus status = runtime.status(pod);
    assertThat(status.phase()).isEqualTo("Running");
    assertThat(PodStatus.isReady(status)).isFalse();
    ContainerStatus app = status.containerStatuses().get(0);
    assertThat(app.state().waiting().reason()).isEqualTo("CrashLoopBackOff");
    assertThat(app.lastState().terminated().exitCode()).isEqualTo(1);
    assertThat(app.restartCount()).isEqualTo(2);
    clock.now = T0.plusSeconds(75);
    assertThat(runtime.status(pod).containerStatuses().get(0).restartCount()).isEqualTo(3);
  }

  @Test
  void aPodWithoutTheAnnotationMeetsTheHollowNodesFate() {
    HollowRuntime runtime = new HollowRuntime(HollowBehavior.allReady(Duration.ZERO), Map.of(), "10.0.0.7", scheduler,
        new MutableClock(T0));
    Pod pod = TestPods.pod("agent-y", Container.of("app", "agent:2"));
    runtime.ensureRunning(pod);
    assertThat(PodStatus.isReady(runtime.status(pod))).isTrue();
  }

  private static Pod withFate(Pod pod, String fate, String revision) {
    return pod.withMetadata(pod.metadata().withAnnotations(Map.of(HollowFate.ANNOTATION, fate))
        .withLabels(Map.of("controller-revision-hash", revision)));
  }

  /** A clock the test moves: the fixture simulates time passing on purpose. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
