package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReconcileWindowTest {
  @ParameterizedTest(name = "a reconcile of {0} ms -> the next after {1} ms")
  @CsvSource({
      "0, 20",     // a small fleet keeps the coalescing window
      "4, 20",
      "5, 20",
      "6, 24",     // beyond it, four times the reconcile's own time
      "50, 200",   // a 5,000-node fleet: at most a fifth of the time deciding
      "125, 500",
      "900, 500",  // never longer than half a second
  })
  void theWindowIsFourTimesTheLastReconcileBetweenTheCoalescingWindowAndHalfASecond(long tookMillis, long windowMillis) {
    assertThat(ReconcileWindow.after(Duration.ofMillis(tookMillis))).isEqualTo(Duration.ofMillis(windowMillis));
  }

  @ParameterizedTest(name = "a join {1} ms after a round whose spacing is {0} ms waits {2} ms")
  @CsvSource({
      "20, 500, 0",    // a quiet DaemonSet: at once, not after another 20 ms of coalescing
      "20, 20, 0",     // the spacing just passed
      "20, 5, 15",     // the rest of the spacing, also when shorter than the coalescing delay
      "200, 30, 170",  // an expensive round: its spacing holds
  })
  void aJoinWaitsForTheRestOfTheSpacingAndNoLonger(long windowMillis, long sinceMillis, long delayMillis) {
    assertThat(ReconcileWindow.joinDelay(Duration.ofMillis(windowMillis), Duration.ofMillis(sinceMillis)))
        .isEqualTo(Duration.ofMillis(delayMillis));
  }
}
