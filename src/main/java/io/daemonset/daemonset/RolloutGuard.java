package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.RolloutStatus;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Selector;
import io.daemonset.rollout.CanaryGate;
import io.daemonset.rollout.NodePods;
import io.daemonset.rollout.RolloutControls;
import io.daemonset.rollout.RolloutProgress;
import io.daemonset.rollout.UnavailableBreakdown;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rollout controls upstream lacks, turned into what the planner obeys: which revision runs (the template's, or
 * after an automatic rollback the last good one, without rewriting the template) and the {@link RolloutControls}
 * (freeze, pause, partition, the update scope of the rollingUpdate selector and of a holding canary). It also
 * decides the rollout's memorable moments, as events: a revision fully available (the last good one), a canary that
 * passed, a rollout that failed (progress deadline or crash loop). Pure: no clock but {@code now}.
 *
 * <p>Invariants: a DaemonSet that uses none of the controls and never failed is left exactly as upstream runs it
 * (no controls, no status.rollout); a failed revision stays failed until another template (or its own success)
 * replaces it, so applying the same failed template again changes nothing; nothing fleet-wide (failure, last good,
 * canary passed) is decided on an incomplete fleet; pods on NotReady nodes never fail a rollout.
 */
final class RolloutGuard {

  /**
   * @param runningHash the revision the planner rolls out
   * @param events rollout events decided this round (empty when only computing status)
   * @param status status.rollout to show, with the memory these events leave; null when not used
   * @param requeueAt when the soak ends or the deadline passes, if nothing else happens before
   */
  record Decision(String runningHash, RolloutControls controls, List<DaemonSetEntity.Event> events,
                  RolloutStatus status, Optional<Instant> requeueAt) {}

  /** At most this many names in a list of status or of an event (the first, in name order). */
  static final int LISTED = 50;

  private RolloutGuard() {}

  /** Whether the spec asks for any control upstream lacks. */
  static boolean configured(DaemonSetSpec spec) {
    RollingUpdateDaemonSet ru = rollingUpdate(spec);
    return spec.isFrozen() || spec.progressDeadlineSeconds() != null
        || (ru != null && (ru.partition() != null || ru.paused() != null || ru.selector() != null
        || ru.canary() != null || ru.failurePolicy() != null || ru.failureThreshold() != null));
  }

  /**
   * Whether {@link #decide} is upstream's for this state: no control in use and no rollout memory, so that it reads no
   * node and returns no control (the reconcile may then plan on the nodes that are not quiet alone).
   */
  static boolean inert(DaemonSetState state) {
    return state.status().rollout() == null && !configured(state.daemonSet().spec());
  }

  /** The canary's gate this round, and the event if it passes now. */
  private record CanaryStep(CanaryGate.Decision gate, Optional<DaemonSetEntity.Event> passed,
                            Optional<Instant> requeueAt) {
    boolean holding() {
      return gate != null && gate.holding();
    }
  }

  /** The progress verdict this round: the failure event if it fails now, and what status.rollout keeps of it. */
  private record ProgressStep(Optional<DaemonSetEntity.RolloutFailed> failed, Instant progressTime,
                              Integer updatedAvailable, boolean targetReached, Optional<Instant> requeueAt) {}

  /**
   * @param decide false: compute the status only (after the round's events), deciding nothing new
   */
  static Decision decide(DaemonSetState state, String templateHash, List<NodePods> nodes, Fleet fleet,
                         boolean fleetComplete, boolean decide, Instant now) {
    DaemonSetSpec spec = state.daemonSet().spec();
    RolloutStatus memory = state.status().rollout();
    if (inert(state)) {
      return new Decision(templateHash, RolloutControls.NONE, List.of(), null, Optional.empty());
    }
    RolloutStatus m = memory == null ? RolloutMemory.empty() : memory;
    RollingUpdateDaemonSet ru = rollingUpdate(spec);
    int minReady = spec.minReadySecondsOrZero();
    List<DaemonSetEntity.Event> events = new ArrayList<>();
    String lastGood = m.lastGoodRevision();
    String failedRevision = m.failedRevision();

    String full = fleetComplete ? RolloutProgress.fullyAvailable(nodes, minReady, now) : null;
    if (decide && full != null && !full.equals(lastGood)) {
      events.add(new DaemonSetEntity.RevisionAvailable(full, Cause.byController(now,
          "revision " + full + " available on every node that wants it: the last good revision")));
      lastGood = full;
      failedRevision = full.equals(failedRevision) ? null : failedRevision;
    }
    boolean failed = templateHash.equals(failedRevision);
    CanaryStep canary = canary(ru, m, lastGood, failed, templateHash, nodes, fleet, fleetComplete, decide, minReady,
        now);
    canary.passed().ifPresent(events::add);
    String canaryPassed = canary.passed().isPresent() ? templateHash : RolloutMemory.canaryPassed(m);
    Set<String> selectorScope = ru == null ? null : matching(fleet, ru.selector());
    boolean held = spec.isFrozen() || (ru != null && ru.isPaused());
    ProgressStep progress = !failed && !held && fleetComplete && ru != null
        ? progress(spec, ru, m, templateHash, nodes, selectorScope, canary, decide, now)
        : new ProgressStep(Optional.empty(), null, m.updatedNumberAvailable(), false, Optional.empty());
    if (progress.failed().isPresent()) {
      events.add(progress.failed().get());
      failedRevision = templateHash;
      failed = true;
    }
    String policy = ru == null ? RollingUpdateDaemonSet.CONTINUE : ru.failurePolicyOrDefault();
    boolean rollingBack = failed && RollingUpdateDaemonSet.ROLLBACK.equals(policy) && lastGood != null
        && !lastGood.equals(templateHash)
        && state.revisionByHash(lastGood) != null;
    String running = rollingBack ? lastGood : templateHash;
    RolloutControls controls = controls(spec, ru, failed, rollingBack, policy, selectorScope, canary, lastGood);
    RolloutStatus status = status(state, templateHash, running, lastGood, failedRevision, failed, rollingBack,
        policy, full, canary, canaryPassed, progress, nodes, minReady, now);
    return new Decision(running, controls, events, status,
        earliest(canary.requeueAt(), progress.requeueAt()));
  }

  /** The canary gate, while the template's revision is new (a last good one exists) and has not failed. */
  private static CanaryStep canary(RollingUpdateDaemonSet ru, RolloutStatus m, String lastGood, boolean failed,
                                   String templateHash, List<NodePods> nodes, Fleet fleet, boolean fleetComplete,
                                   boolean decide, int minReady, Instant now) {
    if (ru == null || ru.canary() == null || lastGood == null || lastGood.equals(templateHash) || failed) {
      return new CanaryStep(null, Optional.empty(), Optional.empty());
    }
    String canaryPassed = RolloutMemory.canaryPassed(m);
    boolean promoted = templateHash.equals(canaryPassed) || templateHash.equals(ru.canary().promote());
    CanaryGate.Decision gate = CanaryGate.decide(ru.canary(), nodes, matching(fleet, ru.canary().selector()),
        templateHash, minReady, promoted, now);
    Optional<DaemonSetEntity.Event> passed = Optional.empty();
    if (decide && fleetComplete && !gate.holding() && !templateHash.equals(canaryPassed)) {
      passed = Optional.of(new DaemonSetEntity.CanaryPassed(templateHash, Cause.byController(now, "canary of "
          + "revision " + templateHash + " on " + gate.canaryNodes().size() + " nodes " + (promoted
          ? "promoted by the user" : "available for its soak of " + ru.canary().soakSecondsOrZero() + "s")
          + ": rolling out everywhere")));
    }
    Optional<Instant> requeue = gate.holding() && gate.soakEndsAt().isPresent()
        && now.isBefore(gate.soakEndsAt().get()) ? gate.soakEndsAt() : Optional.empty();
    return new CanaryStep(gate, passed, requeue);
  }

  /** Deadline and crash loop, towards the nodes this rollout may reach (the canary's, while it holds). */
  private static ProgressStep progress(DaemonSetSpec spec, RollingUpdateDaemonSet ru, RolloutStatus m,
                                       String templateHash, List<NodePods> nodes, Set<String> selectorScope,
                                       CanaryStep canary, boolean decide, Instant now) {
    int minReady = spec.minReadySecondsOrZero();
    Instant since = templateHash.equals(m.updateRevision()) ? m.progressTime() : null;
    int previous = since == null || m.updatedNumberAvailable() == null ? 0 : m.updatedNumberAvailable();
    int target = canary.holding() ? canary.gate().canaryNodes().size()
        : Math.max(0, (int) nodes.stream().filter(n -> n.shouldRun()
            && (selectorScope == null || selectorScope.contains(n.nodeName()))).count() - ru.partitionOrZero());
    RolloutProgress.Verdict v = RolloutProgress.evaluate(new RolloutProgress.Input(nodes, templateHash, minReady,
        target, spec.progressDeadlineSeconds(), ru.failureThresholdOrDefault(), previous, since, now));
    boolean reached = v.state() == RolloutProgress.State.COMPLETE;
    if (v.state() == RolloutProgress.State.FAILED) {
      if (!decide) {
        return new ProgressStep(Optional.empty(), null, v.updatedAvailable(), false, Optional.empty());
      }
      var u = UnavailableBreakdown.of(nodes, minReady, now);
      String message = v.message() + "; unavailable: " + u.rollout() + " rollout, " + u.crashLooping()
          + " crash-looping, " + u.nodeNotReady() + " node NotReady or unreachable, " + u.noRoom() + " no room";
      return new ProgressStep(Optional.of(new DaemonSetEntity.RolloutFailed(templateHash, v.reason(), message,
          capped(v.failing()), ru.failurePolicyOrDefault(), Cause.byController(now, "rollout of revision "
          + templateHash + " failed: " + message + "; failurePolicy " + ru.failurePolicyOrDefault()))), null,
          v.updatedAvailable(), false, Optional.empty());
    }
    boolean running = v.state() == RolloutProgress.State.PROGRESSING;
    return new ProgressStep(Optional.empty(), running ? v.lastProgressAt() : null, v.updatedAvailable(), reached,
        running ? v.checkAgainAt() : Optional.empty());
  }

  /** What the planner obeys; a rollback rolls the last good revision out everywhere (only pause and freeze hold). */
  private static RolloutControls controls(DaemonSetSpec spec, RollingUpdateDaemonSet ru, boolean failed,
                                          boolean rollingBack, String policy, Set<String> selectorScope,
                                          CanaryStep canary, String lastGood) {
    boolean frozen = spec.isFrozen();
    boolean userPaused = ru != null && ru.isPaused();
    if (rollingBack) {
      return new RolloutControls(frozen, userPaused, 0, null, null);
    }
    // Rollback without a good revision to return to holds as Pause does.
    boolean pausedByFailure = failed && !RollingUpdateDaemonSet.CONTINUE.equals(policy);
    Set<String> scope = canary.holding() ? intersect(selectorScope, canary.gate().canaryNodes()) : selectorScope;
    return new RolloutControls(frozen, userPaused || pausedByFailure, ru == null ? 0 : ru.partitionOrZero(), scope,
        canary.holding() ? lastGood : null);
  }

  private static RolloutStatus status(DaemonSetState state, String templateHash, String running, String lastGood,
                                      String failedRevision, boolean failed, boolean rollingBack, String policy,
                                      String full, CanaryStep canary, String canaryPassed, ProgressStep progress,
                                      List<NodePods> nodes, int minReady, Instant now) {
    DaemonSetSpec spec = state.daemonSet().spec();
    RollingUpdateDaemonSet ru = rollingUpdate(spec);
    String phase = spec.isFrozen() ? RolloutStatus.FROZEN : failed ? RolloutStatus.FAILED
        : ru != null && ru.isPaused() ? RolloutStatus.PAUSED : canary.holding() ? RolloutStatus.CANARY
        : templateHash.equals(full) || progress.targetReached() ? RolloutStatus.COMPLETE : RolloutStatus.PROGRESSING;
    var progressing = RolloutMemory.condition(state.status(), RolloutMemory.PROGRESSING);
    String failure = failed && progressing != null && "False".equals(progressing.status()) ? progressing.message()
        : "revision " + templateHash + " failed";
    String message = message(phase, templateHash, running, failure, rollingBack, policy);
    if (RolloutStatus.COMPLETE.equals(phase) && !templateHash.equals(full)) {
      message = "revision " + templateHash + " runs on every node the partition and selector allow";
    }
    RolloutStatus.Canary canaryStatus = canary.gate() == null ? null : new RolloutStatus.Canary(templateHash,
        capped(List.copyOf(new TreeSet<>(canary.gate().canaryNodes()))), canary.gate().soakEndsAt().orElse(null),
        templateHash.equals(canaryPassed));
    return new RolloutStatus(phase, templateHash, running, lastGood, failedRevision, message,
        UnavailableBreakdown.of(nodes, minReady, now), canaryStatus, progress.progressTime(),
        progress.updatedAvailable());
  }

  private static String message(String phase, String template, String running, String failure, boolean rollingBack,
                                String policy) {
    return switch (phase) {
      case RolloutStatus.FROZEN -> "frozen: no pod is created or deleted";
      case RolloutStatus.PAUSED -> "paused: no pod is replaced; nodes that join still get one";
      case RolloutStatus.CANARY -> "canary of revision " + template + " holds the rollout";
      case RolloutStatus.COMPLETE -> "revision " + template + " runs on every node";
      case RolloutStatus.FAILED -> (rollingBack ? "rolled back to revision " + running + "; "
          : RollingUpdateDaemonSet.CONTINUE.equals(policy) ? "continuing; " : "paused; ") + failure;
      default -> "rolling out revision " + template;
    };
  }

  /** The names of the fleet's nodes a selector matches; null when there is no selector (every node). */
  static Set<String> matching(Fleet fleet, LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    Set<String> out = new HashSet<>();
    Selector s;
    try {
      s = Selector.fromLabelSelector(selector);
    } catch (RuntimeException invalid) {
      return Set.of(); // validation refuses these; an old object with one updates nothing rather than everything
    }
    for (Node node : fleet.nodes().values()) {
      if (s.matches(node.metadata().labels() == null ? java.util.Map.of() : node.metadata().labels())) {
        out.add(node.name());
      }
    }
    return out;
  }

  static RollingUpdateDaemonSet rollingUpdate(DaemonSetSpec spec) {
    return spec.updateStrategy() == null || !spec.updateStrategy().isRollingUpdate() ? null
        : spec.updateStrategy().rollingUpdate();
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    if (a == null) {
      return b;
    }
    Set<String> out = new HashSet<>(a);
    out.retainAll(b);
    return out;
  }

  /**
   * Lists that go into events and status are capped: every status change is an event carrying the whole status, and a
   * 10% canary of 5,000 nodes would otherwise put 500 names in each.
   */
  static List<String> capped(List<String> names) {
    return names.size() <= LISTED ? names : List.copyOf(names.subList(0, LISTED));
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() || a.get().isBefore(b.get()) ? a : b;
  }
}
