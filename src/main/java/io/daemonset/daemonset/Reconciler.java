package io.daemonset.daemonset;

import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One reconcile of a DaemonSet, as a pure function {@code reconcile(ReconcileInput) → ReconcileOutput}:
 * facts become events, then placement and rollout decide, then status is recomputed; the steps to send
 * follow from the resulting state. No clock but {@code now}, no randomness: pod names and uids come from
 * the state's pod ordinal, so a table test gives the exact events.
 *
 * <p>Invariants: a pod is decided (persisted) before any node hears of it, so a crash can only leave
 * steps to re-send, never a pod nobody knows of; a binding on a node missing from the directory is left
 * alone (the node may simply not have announced itself yet after a restart), so a restart never doubles
 * a pod; nothing that depends on the whole fleet (desired counts, the rolling-update budget, status) is
 * decided while the fleet is incomplete, i.e. while the directory has not shown every part or a node this
 * DaemonSet has pods on is missing from it.
 */
public final class Reconciler {
  private Reconciler() {}

  public static ReconcileOutput reconcile(ReconcileInput in) {
    Facts.Applied observed = Facts.apply(in.state(), in.facts(), in.backoffs(), in.now());
    List<Event> events = new ArrayList<>(PodAnswers.batched(observed.events(), in.now()));
    DaemonSetState state = observed.state();
    Backoffs backoffs = observed.backoffs();
    Optional<Instant> requeueAt = Optional.empty();
    // The views follow the state and the fleet by comparison, so only what changed since the last round costs.
    NodeViews views = in.views().withEvents(in.state(), observed.events(), state, in.fleet(), in.fleetDelta());
    boolean complete = in.fleet().complete() && views.bindingsAllListed();
    Eligibilities judged = in.eligibilities();
    Map<String, Eligibility> eligibility = Map.of();
    List<Event> decided = List.of();
    if (state.exists() && state.isTerminating()) {
      // Gone once no user's finalizer is left (those only a user removes) and, for Foreground and Orphan, every pod is
      // (deleted or orphaned); Background's pods go after the object, as upstream's garbage collector has them go.
      List<String> finalizers = java.util.Objects.requireNonNullElse(state.daemonSet().metadata().finalizers(),
          List.<String>of());
      List<String> users = DaemonSetObjects.userFinalizers(state.daemonSet().metadata());
      boolean dependentsDone = state.ownBindings().isEmpty()
          || finalizers.stream().noneMatch(DaemonSetObjects.SYSTEM_FINALIZERS::contains);
      if (state.ownBindings().isEmpty() && !users.isEmpty() && finalizers.contains("foregroundDeletion")) {
        decided = List.of(new DaemonSetEntity.FinalizerRemoved("foregroundDeletion", Cause.byController(in.now(),
            "all pods deleted: foreground deletion done; the object waits for finalizers " + users)));
      } else if (state.ownBindings().isEmpty() && !users.isEmpty() && finalizers.contains("orphan")) {
        decided = List.of(new DaemonSetEntity.FinalizerRemoved("orphan", Cause.byController(in.now(),
            "every pod and revision orphaned: orphan deletion done; the object waits for finalizers " + users)));
      } else if (dependentsDone && users.isEmpty()) {
        String policy = finalizers.contains("orphan") ? "Orphan"
            : finalizers.contains("foregroundDeletion") ? "Foreground" : "Background";
        decided = List.of(new DaemonSetEntity.DaemonSetDeleted(policy, Cause.byController(in.now(), switch (policy) {
          case "Orphan" -> "every pod orphaned: deletion complete";
          case "Foreground" -> "all pods deleted: foreground deletion complete";
          default -> "the last finalizer removed: deletion complete";
        })));
      }
    } else if (state.exists() && !state.daemonSet().spec().selector().isEmpty() && seen(in.fleet())) {
      judged = Eligibilities.of(state.daemonSet(), in.fleet(), judged, in.fleetDelta());
      eligibility = judged.byNode();
      ReconcileStep.Step step = ReconcileStep.run(state, in.fleet(), judged, views, complete, backoffs,
          in.now(), in.changes().trigger(), in.fleetDelta());
      views = step.views();
      decided = step.events();
      backoffs = step.backoffs();
      requeueAt = step.requeueAt();
    }
    DaemonSetState undecided = state;
    for (Event e : decided) {
      state = state.apply(e);
      events.add(e);
    }
    // The views follow the decisions too: the steps, the status and the awaited answers read what is unsettled there.
    views = views.withEvents(undecided, decided, state, in.fleet(), in.fleetDelta());
    // Upstream writes no status once deletionTimestamp is set.
    if (state.exists() && !state.isTerminating() && complete && !state.daemonSet().spec().selector().isEmpty()) {
      if (eligibility.isEmpty() && !in.fleet().nodes().isEmpty()) {
        judged = Eligibilities.of(state.daemonSet(), in.fleet(), judged, in.fleetDelta());
        eligibility = judged.byNode();
      }
      views = eligibility == judged.byNode() ? views.judged(judged, in.fleet()) : views.judged(eligibility, in.fleet());
      DaemonSetStatus status = ReconcileStep.status(state, views, in.fleet(), in.now());
      if (!status.equals(state.status())) {
        Event changed = new DaemonSetEntity.StatusChanged(status, Cause.byController(in.now(), "status recomputed"));
        events.add(changed);
        state = state.apply(changed);
      }
    }
    return new ReconcileOutput(events, steps(state, views, in.now()), backoffs, requeueAt, state, judged, views);
  }

  /**
   * {@link #steps(DaemonSetState, Instant)} from the bindings the views hold unsettled, when they reflect the state's:
   * every step is for an unsettled binding ({@link Unsettled}), so a round after a join reads the few that are, not
   * 5,000 bindings.
   */
  static List<NodeStep> steps(DaemonSetState state, NodeViews views, Instant now) {
    return steps(state, views.reflects(state) ? views.unsettled().bindings().values() : state.bindings().values(), now);
  }

  /**
   * Every step the state asks for: admissions, then deletions, orphanings and relabellings, each in pod-name order.
   * One walk over the bindings for the four kinds: every round takes it, a join's included, and at 5,000 bindings a
   * walk of the persistent map is most of what a round that changed one node costs (four walks were a quarter of
   * a join's round, docs/performance.md "join9").
   */
  static List<NodeStep> steps(DaemonSetState state, Instant now) {
    return steps(state, state.bindings().values(), now);
  }

  /** bindings: the state's, or a part of them in the same order that holds every binding a step is for. */
  private static List<NodeStep> steps(DaemonSetState state, java.util.Collection<PodBinding> bindings, Instant now) {
    boolean admitting = state.exists() && !state.isTerminating();
    String uid = state.uid();
    List<PodBinding> toAdmit = new ArrayList<>();
    List<NodeStep> deletions = new ArrayList<>();
    List<NodeStep> orphanings = new ArrayList<>();
    List<NodeStep> relabellings = new ArrayList<>();
    for (PodBinding b : bindings) {
      switch (b.phase()) {
        case SCHEDULED -> {
          if (admitting && b.ownerUid().equals(uid)) {
            toAdmit.add(b);
          }
        }
        case DELETE_REQUESTED -> deletions.add(deletion(b, now));
        case ORPHAN_REQUESTED -> orphanings.add(orphaning(state, b, now));
        case BOUND -> {
          if (b.relabelPending()) {
            relabellings.add(relabelling(b, now));
          }
        }
        default -> { }
      }
    }
    List<NodeStep> out = admissions(state, toAdmit, now);
    out.addAll(deletions);
    out.addAll(orphanings);
    out.addAll(relabellings);
    return out;
  }

  /** Nothing seen of the directory yet: not "no nodes", so nothing is decided at all. */
  static boolean seen(Fleet fleet) {
    return fleet.complete() || !fleet.nodes().isEmpty();
  }

  /**
   * The directory showed every part, and every node this DaemonSet has pods on is in it. The reconcile reads the
   * same from its {@link NodeViews} (kept as it goes); this is the definition, for tests and readers.
   */
  static boolean fleetComplete(DaemonSetState state, Fleet fleet) {
    if (!fleet.complete()) {
      return false;
    }
    for (PodBinding b : state.bindings().values()) {
      if (!fleet.contains(b.nodeName())) {
        return false;
      }
    }
    return true;
  }

  /** The own bindings the node has not yet acknowledged ({@code scheduled}, in name order), with the pod to admit. */
  private static List<NodeStep> admissions(DaemonSetState state, List<PodBinding> scheduled, Instant now) {
    List<NodeStep> out = new ArrayList<>(scheduled.size() + 4);
    if (scheduled.isEmpty()) {
      return out;
    }
    // one decode of a revision's template per reconcile, not one per pod (a burst admits up to 1,000)
    Map<String, PodTemplateSpec> templates = new HashMap<>();
    Map<String, Long> generations = new HashMap<>();
    String current = null;
    for (PodBinding b : scheduled) {
      PodTemplateSpec template = templates.computeIfAbsent(b.revisionHash(), hash -> templateFor(state, hash));
      if (template == null) {
        continue;
      }
      if (current == null) {
        current = ReconcileStep.currentHash(state);
      }
      String currentHash = current;
      long generation = generations.computeIfAbsent(b.revisionHash(),
          hash -> templateGenerationOf(state, hash, currentHash));
      DaemonSet ds = state.daemonSet();
      Supplier<Pod> pod = () -> DaemonPods.render(ds, template, generation, b.revisionHash(),
          b.nodeName(), b.podName(), b.podUid(), b.createdAt());
      out.add(new NodeStep.Admit(b, pod, ds.spec().selector(),
          Cause.byController(now, "admit pod " + b.podName() + " on node " + b.nodeName())));
    }
    return out;
  }

  private static NodeStep orphaning(DaemonSetState state, PodBinding b, Instant now) {
    return new NodeStep.Orphan(b, Cause.byController(now, "orphan pod " + b.podName() + " on node "
        + b.nodeName() + (state.exists() && !state.isTerminating()
            ? ": released, its labels no longer match the selector"
            : ": DaemonSet deleted with propagation Orphan")));
  }

  /**
   * A bound pod whose relabel (dedupCurHistories) its node has not answered yet: sent on every reconcile until
   * answered, NodeLink holding back a repeat while one is in flight. A pod being deleted or released needs none.
   */
  private static NodeStep relabelling(PodBinding b, Instant now) {
    return new NodeStep.Relabel(b, Cause.byController(now, "relabel pod " + b.podName() + " on node "
        + b.nodeName() + ": controller-revision-hash " + b.revisionHash() + " (its revision was a duplicate)"));
  }

  private static NodeStep deletion(PodBinding b, Instant now) {
    return new NodeStep.Delete(b, Cause.byController(now, "delete pod " + b.podName() + " on node " + b.nodeName()));
  }

  /**
   * The template generation of the template a revision hash stands for: the DaemonSet's for the current revision (a
   * rollback makes an old revision current again under a new generation, as upstream labels it), else the one the
   * ControllerRevision recorded when it was taken (it copies the DaemonSet's annotations, as upstream's snapshot
   * does); the DaemonSet's when a revision recorded none.
   */
  static long templateGenerationOf(DaemonSetState state, String hash, String currentHash) {
    long own = DaemonSetObjects.templateGeneration(state.daemonSet());
    ControllerRevision revision = state.revisionByHash(hash);
    return hash.equals(currentHash) || revision == null ? own
        : DaemonSetObjects.templateGeneration(revision.metadata(), own);
  }

  /** The template a revision hash stands for: the one its ControllerRevision recorded. */
  static PodTemplateSpec templateFor(DaemonSetState state, String hash) {
    DaemonSet ds = state.daemonSet();
    ControllerRevision revision = state.revisionByHash(hash);
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
