package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
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
                  RolloutStatus status, boolean held, Optional<Instant> requeueAt) {}

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
   * @param decide false: compute the status only (after the round's events), deciding nothing new
   */
  static Decision decide(DaemonSetState state, String templateHash, List<NodePods> nodes, Fleet fleet,
                         boolean fleetComplete, boolean decide, Instant now) {
    DaemonSet ds = state.daemonSet();
    DaemonSetSpec spec = ds.spec();
    RolloutStatus memory = state.status().rollout();
    if (memory == null && !configured(spec)) {
      return new Decision(templateHash, RolloutControls.NONE, List.of(), null, false, Optional.empty());
    }
    RolloutStatus m = memory == null ? RolloutMemory.empty() : memory;
    RollingUpdateDaemonSet ru = rollingUpdate(spec);
    int minReady = spec.minReadySecondsOrZero();
    List<DaemonSetEntity.Event> events = new ArrayList<>();
    String lastGood = m.lastGoodRevision();
    String failedRevision = m.failedRevision();
    String canaryPassed = RolloutMemory.canaryPassed(m);

    String full = fleetComplete ? RolloutProgress.fullyAvailable(nodes, minReady, now) : null;
    if (decide && full != null && !full.equals(lastGood)) {
      events.add(new DaemonSetEntity.RevisionAvailable(full, Cause.byController(now,
          "revision " + full + " available on every node that wants it: the last good revision")));
      lastGood = full;
      failedRevision = full.equals(failedRevision) ? null : failedRevision;
    }
    boolean failed = templateHash.equals(failedRevision);
    boolean frozen = spec.isFrozen();
    boolean userPaused = ru != null && ru.isPaused();
    Optional<Instant> requeue = Optional.empty();

    CanaryGate.Decision canary = null;
    if (ru != null && ru.canary() != null && lastGood != null && !lastGood.equals(templateHash) && !failed) {
      boolean promoted = templateHash.equals(canaryPassed) || templateHash.equals(ru.canary().promote());
      canary = CanaryGate.decide(ru.canary(), nodes, matching(fleet, ru.canary().selector()), templateHash, minReady,
          promoted, now);
      if (decide && fleetComplete && !canary.holding() && !templateHash.equals(canaryPassed)) {
        events.add(new DaemonSetEntity.CanaryPassed(templateHash, Cause.byController(now, "canary of revision "
            + templateHash + " on " + canary.canaryNodes().size() + " nodes " + (promoted ? "promoted by the user"
            : "available for its soak of " + ru.canary().soakSecondsOrZero() + "s") + ": rolling out everywhere")));
        canaryPassed = templateHash;
      }
      if (canary.holding() && canary.soakEndsAt().isPresent() && now.isBefore(canary.soakEndsAt().get())) {
        requeue = canary.soakEndsAt();
      }
    }
    boolean canaryHolding = canary != null && canary.holding();
    Set<String> selectorScope = ru == null ? null : matching(fleet, ru.selector());
    Set<String> scope = canaryHolding ? intersect(selectorScope, canary.canaryNodes()) : selectorScope;
    int partition = ru == null ? 0 : ru.partitionOrZero();

    boolean held = frozen || userPaused;
    boolean targetReached = false;
    Instant progressTime = null;
    Integer updatedAvailable = m.updatedNumberAvailable();
    if (!failed && !held && fleetComplete && ru != null) {
      Instant since = templateHash.equals(m.updateRevision()) ? m.progressTime() : null;
      int previous = since == null || updatedAvailable == null ? 0 : updatedAvailable;
      int target = canaryHolding ? canary.canaryNodes().size()
          : Math.max(0, (int) nodes.stream().filter(n -> n.shouldRun()
              && (selectorScope == null || selectorScope.contains(n.nodeName()))).count() - partition);
      RolloutProgress.Verdict v = RolloutProgress.evaluate(new RolloutProgress.Input(nodes, templateHash, minReady,
          target, spec.progressDeadlineSeconds(), ru.failureThresholdOrDefault(), previous, since, now));
      updatedAvailable = v.updatedAvailable();
      targetReached = v.state() == RolloutProgress.State.COMPLETE;
      if (v.state() == RolloutProgress.State.FAILED && decide) {
        var u = UnavailableBreakdown.of(nodes, minReady, now);
        String message = v.message() + "; unavailable: " + u.rollout() + " rollout, " + u.crashLooping()
            + " crash-looping, " + u.nodeNotReady() + " node NotReady or unreachable, " + u.noRoom() + " no room";
        events.add(new DaemonSetEntity.RolloutFailed(templateHash, v.reason(), message, capped(v.failing()),
            ru.failurePolicyOrDefault(), Cause.byController(now, "rollout of revision " + templateHash + " failed: "
            + message + "; failurePolicy " + ru.failurePolicyOrDefault())));
        failedRevision = templateHash;
        failed = true;
      } else if (v.state() == RolloutProgress.State.PROGRESSING) {
        progressTime = v.lastProgressAt();
        requeue = earliest(requeue, v.checkAgainAt());
      }
    }

    String policy = ru == null ? RollingUpdateDaemonSet.CONTINUE : ru.failurePolicyOrDefault();
    boolean rollingBack = failed && RollingUpdateDaemonSet.ROLLBACK.equals(policy) && lastGood != null
        && !lastGood.equals(templateHash) && state.revisions().containsKey(ds.metadata().name() + "-" + lastGood);
    // Rollback without a good revision to return to holds as Pause does.
    boolean pausedByFailure = failed && !rollingBack && !RollingUpdateDaemonSet.CONTINUE.equals(policy);
    String running = rollingBack ? lastGood : templateHash;
    RolloutControls controls = rollingBack ? new RolloutControls(frozen, userPaused, 0, null, null)
        : new RolloutControls(frozen, userPaused || pausedByFailure, partition, scope,
            canaryHolding ? lastGood : null);

    String phase = frozen ? RolloutStatus.FROZEN : failed ? RolloutStatus.FAILED
        : userPaused ? RolloutStatus.PAUSED : canaryHolding ? RolloutStatus.CANARY
        : templateHash.equals(full) || targetReached ? RolloutStatus.COMPLETE : RolloutStatus.PROGRESSING;
    var progressing = RolloutMemory.condition(state.status(), RolloutMemory.PROGRESSING);
    String failure = failed && progressing != null && "False".equals(progressing.status()) ? progressing.message()
        : "revision " + templateHash + " failed";
    String message = message(phase, templateHash, running, failure, rollingBack, policy);
    RolloutStatus.Canary canaryStatus = canary == null ? null : new RolloutStatus.Canary(templateHash,
        capped(List.copyOf(new TreeSet<>(canary.canaryNodes()))), canary.soakEndsAt().orElse(null),
        templateHash.equals(canaryPassed));
    RolloutStatus status = new RolloutStatus(phase, templateHash, running, lastGood, failedRevision, message,
        UnavailableBreakdown.of(nodes, minReady, now), canaryStatus, progressTime, updatedAvailable);
    return new Decision(running, controls, events, status, held || pausedByFailure || canaryHolding, requeue);
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
