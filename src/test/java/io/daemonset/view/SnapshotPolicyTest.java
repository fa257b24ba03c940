package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the view writes a snapshot: after N events or 2 per object held, whichever is more, or after M minutes with
 * anything applied since; never when off.
 */
class SnapshotPolicyTest {
  static final SnapshotPolicy EVERY_100_OR_2_PER_OBJECT_OR_5_MIN =
      new SnapshotPolicy(true, 100, 2, Duration.ofMinutes(5));

  @ParameterizedTest(name = "{0} events, {1} since the last, {2} objects: {3}")
  @CsvSource({
      "0,   PT10M,   10,  false",   // nothing new, however long ago
      "99,  PT1M,    10,  false",   // neither enough events nor time
      "100, PT0S,    10,  true",    // enough events: a small view snapshots after N
      "100, PT0S,    50,  true",    // 2 per object is 100: the same
      "100, PT0S,    51,  false",   // a larger view waits for 2 events per object it holds...
      "102, PT0S,    51,  true",    // ...and no longer
      "9999, PT1M, 5000,  false",   // a 5,000-node fleet's pods and nodes: not once per 10,000 events
      "1,   PT5M,  5000,  true",    // enough time, something new, whatever the size
      "1,   PT4M59S, 10,  false"})
  void dueAfterNEventsOrTwoPerObjectOrMMinutesWithSomethingNew(long events, String sinceLast, long objects,
                                                                boolean due) {
    assertThat(EVERY_100_OR_2_PER_OBJECT_OR_5_MIN.due(events, Duration.parse(sinceLast), objects)).isEqualTo(due);
  }

  @ParameterizedTest
  @CsvSource({"100000, PT1H"})
  void neverWhenOff(long events, String sinceLast) {
    assertThat(SnapshotPolicy.OFF.due(events, Duration.parse(sinceLast), 0)).isFalse();
  }
}
