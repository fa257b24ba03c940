package io.daemonset.daemonset;

import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Json;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.rollout.Backoff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One reconcile of a DaemonSet, as a pure function: from its state, the fleet and the clock to the events
 * to persist (one batch, one atomic write) and the messages to send after they are persisted.
 *
 * <p>Invariants: a pod is decided (persisted) before any node hears of it, so a crash can only leave
 * steps to re-send, never a pod nobody knows of; nothing is decided while the fleet is unknown, and a
 * binding on a node missing from the directory is left alone (the node may simply not have announced
 * itself yet after a restart), so a restart never doubles a pod.
 */
final class Reconciler {
  private Reconciler() {}

  record Admit(PodBinding binding, Pod pod, Cause cause) {}

  record Delete(PodBinding binding, Cause cause) {}

  record Result(List<Event> events, List<Admit> toAdmit, List<Delete> toDelete, Map<String, Backoff> backoffs,
                Optional<Instant> requeueAt) {}

  static Result reconcile(DaemonSetState state, Map<String, Node> fleet, Map<String, Backoff> backoffs, Instant now,
                          Function<String, String> podNamer, Supplier<String> uids, String trigger) {
    List<Event> events = new ArrayList<>();
    Optional<Instant> requeueAt = Optional.empty();
    Map<String, Backoff> nextBackoffs = backoffs;
    DaemonSetState next = state;
    if (state.exists() && state.isTerminating()) {
      if (state.ownBindings().isEmpty()) {
        events.add(new DaemonSetEntity.DaemonSetDeleted("Foreground",
            Cause.byController(now, "all pods deleted: foreground deletion complete")));
      }
    } else if (state.exists() && fleet != null && !state.daemonSet().spec().selector().isEmpty()) {
      Step step = ReconcileStep.run(state, fleet, nextBackoffs, now, podNamer, uids, trigger);
      events.addAll(step.events());
      nextBackoffs = step.backoffs();
      requeueAt = step.requeueAt();
    }
    for (Event e : events) {
      next = next.apply(e);
    }
    if (next.exists() && fleet != null) {
      DaemonSetStatus status = ReconcileStep.status(next, fleet, now);
      if (!status.equals(next.status())) {
        Event changed = new DaemonSetEntity.StatusChanged(status, Cause.byController(now, "status recomputed"));
        events.add(changed);
        next = next.apply(changed);
      }
    }
    return new Result(List.copyOf(events), admissions(next, now), deletions(next, now), nextBackoffs, requeueAt);
  }

  /** The result of planning: events, and when to look again. */
  record Step(List<Event> events, Map<String, Backoff> backoffs, Optional<Instant> requeueAt) {}

  /** Every binding the node has not yet acknowledged, with the pod to admit. */
  private static List<Admit> admissions(DaemonSetState state, Instant now) {
    if (!state.exists()) {
      return List.of();
    }
    List<Admit> out = new ArrayList<>();
    for (PodBinding b : state.ownBindings()) {
      if (b.phase() != PodBinding.Phase.SCHEDULED) {
        continue;
      }
      PodTemplateSpec template = templateFor(state, b.revisionHash());
      if (template == null) {
        continue;
      }
      Pod pod = DaemonPods.render(state.daemonSet(), template, b.revisionHash(), b.nodeName(), b.podName(),
          b.podUid(), b.createdAt());
      out.add(new Admit(b, pod, Cause.byController(now, "admit pod " + b.podName() + " on node " + b.nodeName())));
    }
    return out;
  }

  private static List<Delete> deletions(DaemonSetState state, Instant now) {
    return state.bindings().values().stream()
        .filter(b -> b.phase() == PodBinding.Phase.DELETE_REQUESTED)
        .map(b -> new Delete(b, Cause.byController(now, "delete pod " + b.podName() + " on node " + b.nodeName())))
        .toList();
  }

  /** The template a revision hash stands for: the current one, or the one a ControllerRevision recorded. */
  static PodTemplateSpec templateFor(DaemonSetState state, String hash) {
    DaemonSet ds = state.daemonSet();
    ControllerRevision revision = state.revisions().get(ds.metadata().name() + "-" + hash);
    if (revision == null) {
      return null;
    }
    var template = revision.data().path("spec").path("template").deepCopy();
    if (template instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      object.remove("$patch");
    }
    return Json.convert(template, PodTemplateSpec.class);
  }
}
