package io.daemonset.daemonset;

import io.daemonset.model.Condition;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DaemonSet's rollout must remember across restarts (the last good revision, a failed revision, a canary
 * that passed), kept in {@code status.rollout}: the controller owns status (a user's status write changes nothing),
 * so the memory is what the user sees. Changed only by the three rollout events, applied here for
 * {@link DaemonSetState#apply}; everything else in status.rollout is recomputed each round from it.
 */
final class RolloutMemory {
  static final String PROGRESSING = "Progressing";

  private RolloutMemory() {}

  static boolean remembers(DaemonSetEntity.Event event) {
    return event instanceof DaemonSetEntity.RolloutFailed || event instanceof DaemonSetEntity.RevisionAvailable
        || event instanceof DaemonSetEntity.CanaryPassed;
  }

  static DaemonSetStatus apply(DaemonSetStatus status, DaemonSetEntity.Event event) {
    RolloutStatus r = status.rollout() == null ? empty() : status.rollout();
    if (event instanceof DaemonSetEntity.RolloutFailed e) {
      RolloutStatus failed = new RolloutStatus(RolloutStatus.FAILED, r.updateRevision(), r.runningRevision(),
          r.lastGoodRevision(), e.revision(), e.message(), r.unavailable(), r.canary(), null, r.updatedNumberAvailable());
      Condition progressing = new Condition(PROGRESSING, "False", e.cause().at(), e.reason(),
          "revision " + e.revision() + " failed (failurePolicy " + e.policy() + "): " + e.message());
      return withCondition(status.withRollout(failed), progressing);
    } else if (event instanceof DaemonSetEntity.RevisionAvailable e) {
      String failed = e.revision().equals(r.failedRevision()) ? null : r.failedRevision();
      return status.withRollout(new RolloutStatus(r.phase(), r.updateRevision(), r.runningRevision(), e.revision(),
          failed, r.message(), r.unavailable(), r.canary(), r.progressTime(), r.updatedNumberAvailable()));
    } else if (event instanceof DaemonSetEntity.CanaryPassed e) {
      RolloutStatus.Canary c = r.canary() != null && e.revision().equals(r.canary().revision())
          ? new RolloutStatus.Canary(e.revision(), r.canary().nodes(), r.canary().soakEndsAt(), true)
          : new RolloutStatus.Canary(e.revision(), List.of(), null, true);
      return status.withRollout(new RolloutStatus(r.phase(), r.updateRevision(), r.runningRevision(),
          r.lastGoodRevision(), r.failedRevision(), r.message(), r.unavailable(), c, r.progressTime(),
          r.updatedNumberAvailable()));
    }
    throw new IllegalArgumentException("not a rollout event: " + event);
  }

  /** The memory with each revision hash that is a key of {@code moved} replaced by its value (dedupCurHistories). */
  static RolloutStatus relabelled(RolloutStatus r, java.util.Map<String, String> moved) {
    java.util.function.UnaryOperator<String> to = h -> h == null ? null : moved.getOrDefault(h, h);
    RolloutStatus.Canary c = r.canary() == null ? null : new RolloutStatus.Canary(to.apply(r.canary().revision()),
        r.canary().nodes(), r.canary().soakEndsAt(), r.canary().promoted());
    return new RolloutStatus(r.phase(), to.apply(r.updateRevision()), to.apply(r.runningRevision()),
        to.apply(r.lastGoodRevision()), to.apply(r.failedRevision()), r.message(), r.unavailable(), c,
        r.progressTime(), r.updatedNumberAvailable());
  }

  /** The revision whose canary passed (the user's promote counts only through the spec, not here). */
  static String canaryPassed(RolloutStatus r) {
    return r == null || r.canary() == null || !r.canary().promoted() ? null : r.canary().revision();
  }

  static RolloutStatus empty() {
    return new RolloutStatus(null, null, null, null, null, null, null, null, null, null);
  }

  static Condition condition(DaemonSetStatus status, String type) {
    return status.conditions() == null ? null
        : status.conditions().stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  /** Conditions with {@code value} in place of the one of its type; null value removes it. */
  static List<Condition> replaced(List<Condition> conditions, String type, Condition value) {
    List<Condition> out = new ArrayList<>();
    if (conditions != null) {
      conditions.stream().filter(c -> !type.equals(c.type())).forEach(out::add);
    }
    if (value != null) {
      out.add(value);
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /** A condition of that status and reason, keeping the previous transition time if the status did not change. */
  static Condition transition(Condition previous, String type, String status, String reason, String message,
                              Instant now) {
    Instant since = previous != null && status.equals(previous.status()) && previous.lastTransitionTime() != null
        ? previous.lastTransitionTime() : now;
    return new Condition(type, status, since, reason, message);
  }

  private static DaemonSetStatus withCondition(DaemonSetStatus s, Condition c) {
    return new DaemonSetStatus(s.currentNumberScheduled(), s.numberMisscheduled(), s.desiredNumberScheduled(),
        s.numberReady(), s.observedGeneration(), s.updatedNumberScheduled(), s.numberAvailable(),
        s.numberUnavailable(), s.collisionCount(), replaced(s.conditions(), c.type(), c), s.rollout());
  }
}
