package io.daemonset.daemonset;

import io.daemonset.model.Condition;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.RolloutStatus;
import java.time.Instant;
import java.util.List;

/**
 * The Progressing condition of a DaemonSet that uses the rollout controls, with Deployment's meaning: True while
 * the rollout runs or is complete, Unknown while paused or frozen, False once it failed (reason
 * ProgressDeadlineExceeded, or UpdatedPodsCrashLooping; written by the RolloutFailed event and kept as it is).
 * A DaemonSet without status.rollout keeps its conditions untouched (upstream sets none).
 */
final class RolloutConditions {
  static final String NEW_REVISION_AVAILABLE = "NewRevisionAvailable";
  static final String REVISION_UPDATED = "RevisionUpdated";
  static final String CANARY_HOLDING = "CanaryHolding";
  static final String PAUSED = "DaemonSetPaused";
  static final String FROZEN = "DaemonSetFrozen";

  private RolloutConditions() {}

  static List<Condition> of(DaemonSetStatus previous, RolloutStatus rollout, Instant now) {
    if (rollout == null) {
      return previous.conditions();
    }
    Condition before = RolloutMemory.condition(previous, RolloutMemory.PROGRESSING);
    Condition next = switch (rollout.phase()) {
      case RolloutStatus.FAILED -> before != null && "False".equals(before.status()) ? before
          : RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "False", "RolloutFailed", rollout.message(), now);
      case RolloutStatus.PAUSED -> RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "Unknown", PAUSED,
          "DaemonSet is paused", now);
      case RolloutStatus.FROZEN -> RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "Unknown", FROZEN,
          "DaemonSet is frozen", now);
      case RolloutStatus.CANARY -> RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "True",
          CANARY_HOLDING, "canary of revision " + rollout.updateRevision() + " holds the rollout", now);
      case RolloutStatus.COMPLETE -> RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "True",
          NEW_REVISION_AVAILABLE, "revision " + rollout.updateRevision() + " has successfully progressed", now);
      default -> RolloutMemory.transition(before, RolloutMemory.PROGRESSING, "True", REVISION_UPDATED,
          "rolling out revision " + rollout.updateRevision(), now);
    };
    return RolloutMemory.replaced(previous.conditions(), RolloutMemory.PROGRESSING, next);
  }
}
