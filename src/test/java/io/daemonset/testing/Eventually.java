package io.daemonset.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility set up as the tests here wait: for a named condition, at most {@link #WAIT} unless told otherwise,
 * polling every 50 ms, a probe that throws (a 404 before the object exists, an assertion not yet true) counting as
 * "not yet" (except a {@link GiveUp}, which ends the wait at once). Use {@code await("what").until(() -> …)},
 * {@code await("what").until(supplier, predicate)} (returns the value that satisfied it) or
 * {@code await("what").untilAsserted(() -> assertThat(…))}.
 */
public final class Eventually {
  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  private Eventually() {}

  public static ConditionFactory await(String what) {
    return await(what, WAIT);
  }

  public static ConditionFactory await(String what, Duration atMost) {
    return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL)
        .ignoreExceptionsMatching(e -> !(e instanceof GiveUp));
  }

  /**
   * For a property of time itself (a grace period not yet over, a back-off not yet spent, an initial delay): the
   * condition must hold at every poll for the whole period, checked against the clock, never by one sleep. Not for
   * "nothing changed" in the API: that is a watch from a resourceVersion up to a marker change ({@link Quiet}).
   */
  public static ConditionFactory holdsFor(String what, Duration period) {
    return Awaitility.await(what).during(period).atMost(period.plus(WAIT)).pollDelay(Duration.ZERO)
        .pollInterval(POLL);
  }

  /** Thrown by a probe that knows the condition can never come (the process it asks has exited). */
  public static class GiveUp extends AssertionError {
    private static final long serialVersionUID = 1L;

    public GiveUp(String message) {
      super(message);
    }
  }
}
