package io.daemonset.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's restart backoff for one container ({@code flowcontrol.Backoff} as {@code doBackOff} uses it): the
 * first exit restarts at once and arms a backoff of {@code base}; an exit while armed waits until the current
 * backoff has passed since that exit, then restarts and doubles it, up to {@code max}. An exit more than
 * {@code 2 * max} after the last restart starts over (the container ran long enough).
 *
 * @param backoff the armed backoff, null before the first restart
 * @param lastUpdate when it was last armed (the exit it was armed for)
 */
public record CrashBackoff(Duration backoff, Instant lastUpdate) {

  public static CrashBackoff none() {
    return new CrashBackoff(null, null);
  }

  /** How long after {@code finishedAt} the container may restart (zero: at once). */
  public Duration delayAfter(Instant finishedAt, Duration max) {
    if (backoff == null || expired(finishedAt, max)) {
      return Duration.ZERO;
    }
    return backoff;
  }

  /** The state after restarting a container that exited at finishedAt. */
  public CrashBackoff restarted(Instant finishedAt, Duration base, Duration max) {
    if (backoff == null || expired(finishedAt, max)) {
      return new CrashBackoff(base, finishedAt);
    }
    Duration doubled = backoff.multipliedBy(2);
    return new CrashBackoff(doubled.compareTo(max) > 0 ? max : doubled, finishedAt);
  }

  private boolean expired(Instant eventTime, Duration max) {
    return lastUpdate != null && Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }
}
