package io.daemonset.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Per-node backoff for deleting failed daemon pods, so the controller does not hot-loop against a node
 * that keeps rejecting or killing them: upstream's {@code failedPodsBackoff}, a client-go
 * {@code flowcontrol.Backoff} of 1 s doubling to 15 min, without jitter.
 *
 * <p>{@code nextAllowedAt} is the first instant another failed pod on the node may be deleted;
 * {@code delay} the current step. An entry untouched for more than twice the maximum is stale: the
 * next failure starts again at 1 s, and the planner drops it (upstream's periodic Backoff.GC).
 */
public record Backoff(Instant nextAllowedAt, Duration delay) {

  public static final Duration INITIAL = Duration.ofSeconds(1);
  public static final Duration MAX = Duration.ofMinutes(15);

  public Backoff {
    Objects.requireNonNull(nextAllowedAt, "nextAllowedAt");
    Objects.requireNonNull(delay, "delay");
  }

  /** When the delay was last raised (upstream entry.lastUpdate). */
  public Instant lastUpdate() {
    return nextAllowedAt.minus(delay);
  }

  /** upstream hasExpired: quiet for more than twice the maximum delay. */
  public boolean staleAt(Instant now) {
    return Duration.between(lastUpdate(), now).compareTo(MAX.multipliedBy(2)) > 0;
  }

  /** upstream IsInBackOffSinceUpdate. */
  public boolean holdsAt(Instant now) {
    return !staleAt(now) && now.isBefore(nextAllowedAt);
  }

  /** upstream Backoff.Next: start at 1 s, or double up to 15 min; {@code previous} may be null. */
  public static Backoff next(Backoff previous, Instant now) {
    Duration delay = previous == null || previous.staleAt(now)
        ? INITIAL
        : min(previous.delay.multipliedBy(2), MAX);
    return new Backoff(now.plus(delay), delay);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
