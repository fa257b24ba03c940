package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When an agent ticking every 10 s renews its node's Lease (NodeReporter.renewalDue). */
class LeaseRenewalDueTest {
  static final Instant ANSWERED = Instant.parse("2026-12-03T14:00:00Z");
  static final Duration TICK = Duration.ofSeconds(10);

  @ParameterizedTest(name = "granted {0} s, {1} ms after the last renewal was answered: due {2}")
  @CsvSource({
      // kubelet's 40 s lease: at every tick, counted from the last renewal
      "40, 10000, true",
      "40, 5000, true",     // half a tick early at most: a tick that drifted still renews
      "40, 4999, false",    // a lease registration created a moment ago is not renewed at the next tick
      "40, 1000, false",
      "0, 1000, false",     // a server that granted nothing: as asked
      "0, 10000, true",
      // a longer grant (a large fleet): every quarter of it
      "200, 44999, false",
      "200, 45000, true",
      "200, 50000, true",
  })
  void renewsOncePerTickOrQuarterOfTheGrantCountedFromTheLastRenewal(int granted, long sinceMillis, boolean due) {
    assertThat(NodeReporter.renewalDue(ANSWERED, granted, TICK, ANSWERED.plusMillis(sinceMillis))).isEqualTo(due);
  }

  @org.junit.jupiter.api.Test
  void theFirstTickRenewsWhenNoRenewalWasAnswered() {
    assertThat(NodeReporter.renewalDue(null, 0, TICK, ANSWERED)).isTrue();
  }
}
