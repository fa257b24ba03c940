package io.daemonset.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run-queue time since a start, thread by thread: a thread that ended within is not counted, never subtracted. */
class RunQueueTest {
  @Test
  void aThreadThatEndedWithinIsNotSubtracted_oneThatStartedWithinCountsWhole() {
    RunQueue start = RunQueue.of(Map.of("11", new long[] {5_000, 100}, "12", new long[] {9_000, 900}));
    RunQueue end = RunQueue.of(Map.of("11", new long[] {7_000, 300}, "13", new long[] {1_000, 10}));

    RunQueue since = end.since(start);

    assertThat(since.runNanos()).isEqualTo(2_000 + 1_000);
    assertThat(since.waitNanos()).isEqualTo(200 + 10);
  }

  @Test
  void thisProcessRan() {
    RunQueue start = RunQueue.now();
    long x = 0;
    for (int i = 0; i < 50_000_000; i++) {
      x += i ^ (x >>> 3);
    }
    assertThat(RunQueue.now().since(start).runNanos()).as("%d", x).isPositive();
  }
}
