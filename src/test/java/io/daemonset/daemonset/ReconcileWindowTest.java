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
}
