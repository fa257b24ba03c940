package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the view writes a snapshot: after N events, or after M with anything applied since; never when off. */
class SnapshotPolicyTest {
  static final SnapshotPolicy EVERY_100_OR_5_MIN = new SnapshotPolicy(true, 100, Duration.ofMinutes(5));

  @ParameterizedTest(name = "{0} events, {1} since the last: {2}")
  @CsvSource({
      "0,   PT10M, false",   // nothing new, however long ago
      "99,  PT1M,  false",   // neither enough events nor time
      "100, PT0S,  true",    // enough events
      "1,   PT5M,  true",    // enough time, something new
      "1,   PT4M59S, false"})
  void dueAfterNEventsOrMMinutesWithSomethingNew(long events, String sinceLast, boolean due) {
    assertThat(EVERY_100_OR_5_MIN.due(events, Duration.parse(sinceLast))).isEqualTo(due);
  }

  @ParameterizedTest
  @CsvSource({"100000, PT1H"})
  void neverWhenOff(long events, String sinceLast) {
    assertThat(SnapshotPolicy.OFF.due(events, Duration.parse(sinceLast))).isFalse();
  }
}
