package io.daemonset.daemonset;

import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.Cause;
import io.daemonset.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What nodes told a DaemonSet since its last reconcile (admissions, pod status, deletions), turned into
 * events in the order they arrived. They are persisted together with the decisions they lead to, in one
 * write: a DaemonSet of 5,000 pods does not pay one database round trip per pod. A fact lost to a crash
 * before that write is learnt again: the steps are re-sent and nodes answer idempotently.
 */
final class Facts {
  private Facts() {}

  record Applied(List<Event> events, DaemonSetState state, Backoffs backoffs) {}

  static Applied apply(DaemonSetState state, List<DaemonSetEntity.Fact> facts, Backoffs backoffs, Instant now) {
    List<Event> events = new ArrayList<>();
    DaemonSetState current = state;
    Backoffs currentBackoffs = backoffs;
    for (DaemonSetEntity.Fact fact : expandResyncs(state, facts)) {
      List<Event> adopted = fact instanceof DaemonSetEntity.AdmitAnswered a && a.adopted() != null
          ? adoption(current, a, now) : claimed(current, fact, now);
      if (adopted != null) {
        for (Event e : adopted) {
          events.add(e);
          current = current.apply(e);
        }
        continue;
      }
      Event event = toEvent(current, fact, now);
      if (event == null) {
        continue;
      }
      if (fact instanceof DaemonSetEntity.AdmitAnswered a && !a.admitted() && !a.alreadyExists()) {
        // A refusal backs off on that node; AlreadyExists only asks for a new name (the next ordinal).
        currentBackoffs = currentBackoffs.admissionRefused(a.nodeName(), now);
      }
      events.add(event);
      current = current.apply(event);
    }
    return new Applied(events, current, currentBackoffs);
  }

  /** The node adopted an orphan instead of admitting the scheduled pod: bind the orphan, then what it reports. */
  static List<Event> adoption(DaemonSetState state, DaemonSetEntity.AdmitAnswered a, Instant now) {
    PodBinding scheduled = state.bindings().get(a.podName());
    Pod pod = a.adopted();
    if (scheduled == null || scheduled.phase() != PodBinding.Phase.SCHEDULED
        || state.bindings().containsKey(pod.metadata().name())) {
      return List.of();
    }
    String hash = pod.metadata().labelsOrEmpty().get(DaemonPods.REVISION_HASH_LABEL);
    Cause cause = Cause.byController(now, "node " + a.nodeName() + " adopted orphan pod " + pod.metadata().name()
        + " (revision " + hash + ") instead of creating " + a.podName());
    DaemonSetEntity.PodAdopted adopted = new DaemonSetEntity.PodAdopted(a.podName(), pod.metadata().name(),
        pod.metadata().uid(), a.nodeName(), hash, pod.metadata().creationTimestamp(), cause);
    DaemonSetState bound = state.apply(adopted);
    Event observed = PodObservation.of(bound.bindings().get(pod.metadata().name()), pod, cause, now);
    return observed == null ? List.of(adopted) : List.of(adopted, observed);
  }

  /**
   * A node adopted, on this DaemonSet's ClaimOrphans, a pod it had no binding for (upstream's ClaimPods): it is bound
   * as it is, so that the manage step keeps it or deletes it (an ineligible node; the oldest of two on a node stays).
   * null when the fact is no such claim: a pod this incarnation controls (by uid), not terminating, and not bound yet.
   */
  static List<Event> claimed(DaemonSetState state, DaemonSetEntity.Fact fact, Instant now) {
    if (!(fact instanceof DaemonSetEntity.PodChanged c) || c.pod() == null || !state.exists()
        || state.isTerminating() || state.bindings().containsKey(c.podName())
        || c.pod().metadata().deletionTimestamp() != null) {
      return null;
    }
    Pod pod = c.pod();
    boolean ours = pod.metadata().ownerReferencesOrEmpty().stream()
        .anyMatch(r -> r.isController() && state.uid().equals(r.uid()));
    if (!ours) {
      return null;
    }
    String hash = pod.metadata().labelsOrEmpty().get(DaemonPods.REVISION_HASH_LABEL);
    Cause cause = Cause.byController(now, "node " + c.nodeName() + " adopted orphan pod " + pod.metadata().name()
        + " (revision " + hash + "): its labels match the selector");
    DaemonSetEntity.PodAdopted adopted = new DaemonSetEntity.PodAdopted(pod.metadata().name(), pod.metadata().name(),
        pod.metadata().uid(), c.nodeName(), hash, pod.metadata().creationTimestamp(), cause);
    Event observed = PodObservation.of(state.apply(adopted).bindings().get(pod.metadata().name()), pod, cause, now);
    return observed == null ? List.of(adopted) : List.of(adopted, observed);
  }

  /**
   * A resync answer (NodeHolds) stands for one PodChanged per binding on that node, in its place among the facts
   * (an older notification before it, a newer one after). The bindings are grouped by node once, and only when a
   * resync answer is among the facts: 5,000 answers cost one pass over 5,000 bindings, not 5,000 passes.
   */
  static List<DaemonSetEntity.Fact> expandResyncs(DaemonSetState state, List<DaemonSetEntity.Fact> facts) {
    if (facts.stream().noneMatch(f -> f instanceof DaemonSetEntity.NodeHolds)) {
      return facts;
    }
    java.util.Map<String, List<PodBinding>> byNode = new java.util.HashMap<>();
    for (PodBinding b : state.bindings().values()) {
      if (b.phase() != PodBinding.Phase.SCHEDULED) {
        byNode.computeIfAbsent(b.nodeName(), n -> new ArrayList<>()).add(b);
      }
    }
    List<DaemonSetEntity.Fact> out = new ArrayList<>(facts.size());
    for (DaemonSetEntity.Fact fact : facts) {
      if (fact instanceof DaemonSetEntity.NodeHolds h) {
        if (h.node() == null) {
          continue;
        }
        for (PodBinding b : byNode.getOrDefault(h.nodeName(), List.of())) {
          // the pod by its uid: unique, so a namesake in another namespace on the node is not mistaken for it
          out.add(new DaemonSetEntity.PodChanged(h.nodeName(), b.podName(), h.node().pods().values().stream()
              .filter(p -> b.podUid().equals(p.metadata().uid())).findFirst().orElse(null), h.cause()));
        }
      } else {
        out.add(fact);
      }
    }
    return out;
  }

  /**
   * Upstream's ClaimPods release: a pod of this incarnation, not being deleted or released already, still controlled
   * by this DaemonSet (by name: the node drops the reference when it orphans), whose labels no longer match the
   * selector. A DaemonSet being deleted releases nothing (upstream: the controller's deletionTimestamp stops claims).
   */
  static boolean releases(DaemonSetState state, PodBinding binding, Pod pod) {
    if (!state.exists() || state.isTerminating() || !binding.ownerUid().equals(state.uid())
        || binding.isBeingDeleted() || binding.phase() == PodBinding.Phase.ORPHAN_REQUESTED
        || pod.metadata().deletionTimestamp() != null || io.daemonset.node.NodeState.controllerKey(pod) == null) {
      return false;
    }
    io.daemonset.placement.Selector selector = io.daemonset.placement.Selector.fromLabelSelector(
        state.daemonSet().spec().selector());
    return !selector.isEmpty() && !selector.matches(pod.metadata().labelsOrEmpty());
  }

  private static Event released(DaemonSetState state, PodBinding binding, Pod pod, Instant now) {
    String why = "labels " + pod.metadata().labelsOrEmpty() + " no longer match the selector of DaemonSet "
        + state.daemonSet().metadata().name() + ": released";
    return new DaemonSetEntity.PodReleaseRequested(binding.podName(), binding.nodeName(), why,
        Cause.byController(now, "pod " + binding.podName() + " on node " + binding.nodeName() + ": " + why));
  }

  static Event toEvent(DaemonSetState state, DaemonSetEntity.Fact fact, Instant now) {
    if (fact instanceof DaemonSetEntity.PodChanged c) {
      PodBinding binding = state.bindings().get(c.podName());
      if (binding == null) {
        return null;
      }
      if (c.pod() == null) {
        return new DaemonSetEntity.PodGone(c.podName(), c.cause());
      }
      return releases(state, binding, c.pod()) ? released(state, binding, c.pod(), now)
          : PodObservation.of(binding, c.pod(), c.cause(), now);
    } else if (fact instanceof DaemonSetEntity.AdmitAnswered a) {
      PodBinding binding = state.bindings().get(a.podName());
      if (binding == null || binding.phase() != PodBinding.Phase.SCHEDULED) {
        return null;
      }
      Cause cause = Cause.byController(now, a.reason());
      return a.admitted() ? new DaemonSetEntity.PodBound(a.podName(), cause)
          : new DaemonSetEntity.PodRejected(a.podName(), a.nodeName(), a.reason(), cause);
    } else if (fact instanceof DaemonSetEntity.OrphanAnswered o) {
      PodBinding binding = state.bindings().get(o.podName());
      if (binding == null || binding.phase() != PodBinding.Phase.ORPHAN_REQUESTED) {
        return null;
      }
      return new DaemonSetEntity.PodGone(o.podName(), Cause.byController(now, "node " + o.nodeName()
          + " removed the ownerReference of " + o.podName() + ": orphaned"));
    } else if (fact instanceof DaemonSetEntity.RelabelAnswered r) {
      PodBinding binding = state.bindings().get(r.podName());
      if (binding == null || !binding.relabelPending()) {
        return null;
      }
      return new DaemonSetEntity.PodRelabelled(r.podName(), Cause.byController(now, "node " + r.nodeName()
          + " answered the relabel of " + r.podName() + " (controller-revision-hash " + binding.revisionHash() + "): "
          + r.outcome()));
    } else if (fact instanceof DaemonSetEntity.DeleteAnswered d) {
      PodBinding binding = state.bindings().get(d.podName());
      if (binding == null || !binding.isBeingDeleted()) {
        return null;
      }
      Cause cause = Cause.byController(now, "node " + binding.nodeName() + " confirmed the deletion of " + d.podName());
      if (d.gone()) {
        return new DaemonSetEntity.PodGone(d.podName(), cause);
      }
      if (d.terminating() && binding.phase() == PodBinding.Phase.DELETE_REQUESTED) {
        return new DaemonSetEntity.PodObserved(d.podName(), binding.podPhase(), null, true, cause);
      }
    }
    return null;
  }
}
