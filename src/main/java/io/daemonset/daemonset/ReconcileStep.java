package io.daemonset.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Node;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import io.daemonset.rollout.HistoryDecision;
import io.daemonset.rollout.NodePods;
import io.daemonset.rollout.PodCreation;
import io.daemonset.rollout.PodDeletion;
import io.daemonset.rollout.RevisionHistory;
import io.daemonset.rollout.RevisionRef;
import io.daemonset.rollout.Revisions;
import io.daemonset.rollout.RolloutInput;
import io.daemonset.rollout.RolloutPlan;
import io.daemonset.rollout.RolloutPlanner;
import io.daemonset.rollout.StatusCalculator;
import io.daemonset.rollout.TemplateHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deciding half of a reconcile: revisions (placement and rollout decide, this only translates their
 * answers into events that say why). Pure: no clock, no randomness; pod names and uids come from the
 * state's pod ordinal ({@link PodNames}).
 */
final class ReconcileStep {
  /**
   * At most this many pods are created by one round; the rest follow in the next, which comes at once. Upstream's
   * BurstReplicas is 250 because each create is an API request its controller pays at 20 requests/s; here a create
   * is one binding in the round's single write plus a message to the node, and each round costs a whole-fleet
   * reconcile, so a larger burst converges 5,000 nodes in 5 rounds instead of 20. Still a bound: one write stays
   * under a few hundred KB.
   */
  static final int BURST = 1000;

  private ReconcileStep() {}

  /** The decisions of one round: events, the backoffs to keep, and when to look again. */
  record Step(List<Event> events, Backoffs backoffs, Optional<Instant> requeueAt, NodeViews views) {}

  /**
   * views: the node views of the previous round or of {@code before}; the step brings them up to date, comparing the
   * fleet where {@code delta} says it changed.
   */
  static Step run(DaemonSetState before, Fleet fleet, Eligibilities eligibility, NodeViews views,
                  boolean fleetComplete, Backoffs backoffs, Instant now, String trigger, FleetDelta delta) {
    DaemonSetState state = before;
    DaemonSet ds = state.daemonSet();
    List<Event> events = new ArrayList<>();
    String hash = currentHash(state);
    HistoryDecision history = decideHistory(state, hash, views);
    if (history.action() == HistoryDecision.Action.HASH_COLLISION) {
      DaemonSetStatus s = state.status();
      int collisions = s.collisionCount() == null ? 1 : s.collisionCount() + 1;
      events.add(new DaemonSetEntity.StatusChanged(withCollisionCount(s, collisions),
          Cause.byController(now, "hash collision on revision name " + ds.metadata().name() + "-" + hash)));
      // Once: the next round hashes with the new collisionCount.
      return new Step(events, backoffs, Optional.of(now), views);
    }
    // The history first, as upstream's constructHistory runs before manage: the rollout sees deduplicated pods.
    List<Event> revised = revisionEvents(state, history, hash, now);
    for (Event e : revised) {
      events.add(e);
      state = state.apply(e);
    }

    String uid = ds.metadata().uid();
    Long observedGeneration = state.status().observedGeneration();
    NodeViews judged = views.withEvents(before, revised, state, fleet, delta).judged(eligibility, fleet);
    List<NodePods> nodes = planned(state, hash, judged);
    // The controls first: they say which revision runs (the template's, or the last good one after a rollback).
    RolloutGuard.Decision guard = RolloutGuard.decide(state, hash, nodes, fleet, fleetComplete, true, now);
    events.addAll(guard.events());
    RolloutPlan plan = RolloutPlanner.plan(new RolloutInput(guard.runningHash(), ds.spec().updateStrategy(),
        ds.spec().minReadySecondsOrZero(), now, nodes,
        backoffs.failedPodsByNode(uid, observedGeneration), guard.controls(), fleetComplete));
    Optional<Instant> requeue = plan.requeueAt();
    if (guard.requeueAt().isPresent()) {
      requeue = earliest(requeue, guard.requeueAt().get());
    }
    List<DaemonSetEntity.ScheduledPod> scheduled = new ArrayList<>();
    long ordinal = state.podOrdinals();
    for (PodCreation creation : plan.creations()) {
      Optional<Instant> held = backoffs.admissionHeldUntil(creation.nodeName(), now);
      if (held.isPresent()) {
        requeue = earliest(requeue, held.get());
        continue;
      }
      if (scheduled.size() >= BURST) {
        // The burst limit: the rest follow in the next round, which makes progress every time.
        requeue = Optional.of(now);
        break;
      }
      // Unique by construction from this release's names; a binding can still hold a name an older release's
      // formula made (the offset came from the uid then), and a binding is keyed by its name: skip such ordinals.
      while (state.bindings().containsKey(PodNames.podName(ds.metadata().name(), ordinal))) {
        ordinal++;
      }
      scheduled.add(new DaemonSetEntity.ScheduledPod(PodNames.podName(ds.metadata().name(), ordinal),
          PodNames.podUid(uid, ordinal), creation.nodeName(), creation.revisionHash(), creation.reason().toString()));
      ordinal++;
    }
    if (!scheduled.isEmpty()) {
      boolean skipped = ordinal != state.podOrdinals() + scheduled.size();
      events.add(new DaemonSetEntity.PodsScheduled(scheduled,
          Cause.byController(now, summary("create", scheduled.size(), scheduled.get(0), trigger)),
          skipped ? ordinal : null));
    }
    List<DaemonSetEntity.PodDeletion> deletions = plan.deletions().stream()
        .map(d -> new DaemonSetEntity.PodDeletion(d.podName(), d.nodeName(), d.reason().toString()))
        .toList();
    if (!deletions.isEmpty()) {
      events.add(new DaemonSetEntity.PodsDeletionRequested(deletions,
          Cause.byController(now, summary("delete", deletions.size(), deletions.get(0), trigger))));
    }
    return new Step(events, backoffs.withFailedPods(uid, observedGeneration, plan.backoffs(), now), requeue, judged);
  }

  private static Optional<Instant> earliest(Optional<Instant> current, Instant candidate) {
    return current.isEmpty() || candidate.isBefore(current.get()) ? Optional.of(candidate) : current;
  }

  /** placement's answer for every node of the fleet, computed once per reconcile. */
  static Map<String, Eligibility> eligibility(DaemonSet ds, Fleet fleet) {
    return Eligibilities.of(ds, fleet, Eligibilities.NONE).byNode();
  }

  /** The hash a template would get as a new revision (template + collisionCount). */
  static String currentHash(DaemonSet ds) {
    return TemplateHash.of(ds.spec().template(), ds.status() == null ? null : ds.status().collisionCount());
  }

  /**
   * The current revision's hash, as upstream takes it: the {@code controller-revision-hash} of the revision that
   * holds the template (the highest-numbered one if several do), not recomputed from template + collisionCount; after
   * a real collision those differ, and a rollback to a template recorded before it would look for a revision that
   * does not exist and never send its pods. Only when no revision holds the template yet, the hash it will get.
   */
  static String currentHash(DaemonSetState state) {
    DaemonSet ds = state.daemonSet();
    if (state.revisions().isEmpty()) {
      return currentHash(ds);
    }
    RevisionHistory history = new RevisionHistory(state.revisions().values().stream().map(RevisionRef::of).toList());
    return history.holding(Revisions.revisionData(ds.spec().template())).map(RevisionRef::hash)
        .orElseGet(() -> currentHash(ds));
  }

  /**
   * The node views the planner (and the status) must see: every node, or only those that are not quiet when the quiet
   * ones are known to change no decision and no count but the ones {@link NodeViews#quiet} says ({@link #quietSkipped}).
   * Then a round that changed a few nodes plans on those few, not on 5,000 nodes that each keep their one pod.
   */
  static List<NodePods> planned(DaemonSetState state, String hash, NodeViews views) {
    return quietSkipped(state, hash, views) ? views.activeNodes() : views.nodes();
  }

  /**
   * Whether the quiet nodes may be left out of the planner and the status: the rollout controls are not in use (the
   * guard then reads no node), no pod needs minReadySeconds to pass (time makes no quiet pod available, and none
   * asks for a requeue), and every pod of this incarnation carries the current revision, so that the rolling update
   * has no old pod to replace whatever the budget (which counts the whole fleet: on part of it, it would differ).
   * Manage, the one per-node pass left, does nothing on a quiet node.
   */
  static boolean quietSkipped(DaemonSetState state, String hash, NodeViews views) {
    return RolloutGuard.inert(state) && state.daemonSet().spec().minReadySecondsOrZero() == 0 && !hash.isEmpty()
        && views.reflects(state) && views.unsettled().onlyRevision(hash);
  }

  /** {@link #status(DaemonSetState, List, Fleet, Instant)} from the node views, leaving out the quiet ones if it may. */
  static DaemonSetStatus status(DaemonSetState state, NodeViews views, Fleet fleet, Instant now) {
    String hash = currentHash(state);
    if (!quietSkipped(state, hash, views)) {
      return status(state, hash, views.nodes(), 0, awaiting(state, state.bindings().values(), now), fleet, now);
    }
    return status(state, hash, views.activeNodes(), views.quietRunning(),
        awaiting(state, views.unsettled().bindings().values(), now), fleet, now);
  }

  /**
   * Status as upstream computes it; observedGeneration waits until no create or delete is unacknowledged, or until
   * what is unacknowledged has waited longer than the expectations' TTL (5 minutes, upstream's).
   */
  static DaemonSetStatus status(DaemonSetState state, List<NodePods> nodes, Fleet fleet, Instant now) {
    return status(state, currentHash(state), nodes, 0, awaiting(state, state.bindings().values(), now), fleet, now);
  }

  /** Whether any create or delete of this incarnation is still awaited, among {@code bindings}. */
  private static boolean awaiting(DaemonSetState state, java.util.Collection<PodBinding> bindings, Instant now) {
    String uid = state.uid();
    for (PodBinding b : bindings) {
      if (b.isPending() && b.isAwaited(now) && b.ownerUid().equals(uid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * quietRunning: nodes left out of {@code nodes} that each run one Ready, available pod of the current revision;
   * StatusCalculator would count each in desired, current, ready, available and updated.
   */
  private static DaemonSetStatus status(DaemonSetState state, String hash, List<NodePods> nodes, int quietRunning,
                                        boolean awaiting, Fleet fleet, Instant now) {
    DaemonSet ds = state.daemonSet();
    DaemonSetStatus counted = StatusCalculator.compute(nodes, hash, ds.spec().minReadySecondsOrZero(), now);
    DaemonSetStatus computed = quietRunning == 0 ? counted : new DaemonSetStatus(
        counted.currentNumberScheduled() + quietRunning, counted.numberMisscheduled(),
        counted.desiredNumberScheduled() + quietRunning, counted.numberReady() + quietRunning, null,
        counted.updatedNumberScheduled() + quietRunning, counted.numberAvailable() + quietRunning,
        counted.numberUnavailable(), null, null);
    boolean settled = !awaiting;
    Long observed = settled ? ds.metadata().generation() : state.status().observedGeneration();
    RolloutGuard.Decision guard = RolloutGuard.decide(state, hash, nodes, fleet, true, false, now);
    return new DaemonSetStatus(computed.currentNumberScheduled(), computed.numberMisscheduled(),
        computed.desiredNumberScheduled(), computed.numberReady(), observed, computed.updatedNumberScheduled(),
        computed.numberAvailable(), computed.numberUnavailable(), state.status().collisionCount(),
        RolloutConditions.of(state.status(), guard.status(), now), guard.status());
  }

  /**
   * Every node of the directory with its eligibility and this DaemonSet's pods on it. Bindings on nodes
   * the directory does not list are left out: such a node may only not have announced itself yet. The full build;
   * the reconcile keeps {@link NodeViews} from round to round instead.
   */
  static List<NodePods> nodePods(DaemonSetState state, Map<String, Eligibility> eligibility, Fleet fleet) {
    return NodeViews.of(state, eligibility, fleet);
  }

  /** NotReady or unreachable (Ready False or Unknown): its pods' unavailability is the node's doing. */
  static boolean nodeReady(Node node) {
    if (node == null || node.status() == null || node.status().conditions() == null) {
      return true;
    }
    return node.status().conditions().stream().filter(c -> "Ready".equals(c.type()))
        .allMatch(c -> "True".equals(c.status()));
  }

  private static HistoryDecision decideHistory(DaemonSetState state, String hash, NodeViews views) {
    DaemonSet ds = state.daemonSet();
    RevisionHistory history = new RevisionHistory(state.revisions().values().stream().map(RevisionRef::of).toList());
    // every round decides the history: the live revisions are counted with the views, not found in 5,000 bindings
    java.util.Set<String> live;
    if (views.reflects(state)) {
      live = views.unsettled().liveHashes();
    } else {
      live = new java.util.LinkedHashSet<>();
      String uid = state.uid();
      for (PodBinding b : state.bindings().values()) {
        if (b.ownerUid().equals(uid)) {
          live.add(b.revisionHash());
        }
      }
    }
    List<String> liveHashes = new ArrayList<>(live);
    // The last good revision is what a Rollback (and a canary's joining nodes) return to: never trimmed.
    var rollout = state.status().rollout();
    if (rollout != null && rollout.lastGoodRevision() != null && !liveHashes.contains(rollout.lastGoodRevision())) {
      liveHashes.add(rollout.lastGoodRevision());
    }
    JsonNode data = Revisions.revisionData(ds.spec().template());
    return history.decide(ds.metadata().name(), hash, data, liveHashes, ds.spec().revisionHistoryLimit());
  }

  private static List<Event> revisionEvents(DaemonSetState state, HistoryDecision d, String hash, Instant now) {
    DaemonSet ds = state.daemonSet();
    List<Event> events = new ArrayList<>();
    if (!d.duplicates().isEmpty()) {
      events.add(deduplicated(state, d, now));
    }
    if (d.action() == HistoryDecision.Action.CREATE) {
      events.add(new DaemonSetEntity.RevisionRecorded(Revisions.snapshot(ds, hash, d.current().revision()),
          Cause.byController(now, "template of generation " + ds.metadata().generation() + " recorded as revision "
              + d.current().revision())));
    } else if (d.action() == HistoryDecision.Action.RENUMBER) {
      ControllerRevision existing = state.revisions().get(d.current().name());
      events.add(new DaemonSetEntity.RevisionRecorded(
          new ControllerRevision(existing.apiVersion(), existing.kind(), existing.metadata(), existing.data(),
              d.current().revision()),
          Cause.byController(now, "template of revision " + d.previousRevision() + " applied again (rollback): "
              + "renumbered to revision " + d.current().revision())));
    }
    List<String> trimmed = new ArrayList<>();
    d.trim().forEach(r -> trimmed.add(r.name()));
    if (!trimmed.isEmpty()) {
      events.add(new DaemonSetEntity.RevisionsTrimmed(trimmed, Cause.byController(now,
          "revision history trimmed to revisionHistoryLimit " + ds.spec().revisionHistoryLimit())));
    }
    return events;
  }

  /**
   * upstream dedupCurHistories: the pods carrying a duplicate's hash are relabelled to the kept one's before the
   * duplicates go, in the same event, so that no pod is ever counted old (and replaced) because of a duplicate.
   */
  private static Event deduplicated(DaemonSetState state, HistoryDecision d, Instant now) {
    Map<String, String> moved = d.relabelled();
    List<String> pods = state.ownBindings().stream().filter(b -> moved.containsKey(b.revisionHash()))
        .map(PodBinding::podName).toList();
    List<String> names = d.duplicates().stream().map(RevisionRef::name).toList();
    return new DaemonSetEntity.RevisionsDeduplicated(d.current().hash(), names, pods, Cause.byController(now,
        "revisions " + names + " duplicate revision " + d.current().name() + " (the same template): deleted, "
            + pods.size() + " pod" + (pods.size() == 1 ? "" : "s") + " relabelled to " + Revisions.HASH_LABEL + "="
            + d.current().hash()));
  }

  /** "delete 1 pod on node n2: NODE_NO_LONGER_ELIGIBLE (…); trigger: node n2: label ssd removed". */
  private static String summary(String verb, int count, Object first, String trigger) {
    String head = first instanceof DaemonSetEntity.ScheduledPod p ? "on node " + p.nodeName() + ": " + p.why()
        : first instanceof DaemonSetEntity.PodDeletion d ? d.podName() + " on node " + d.nodeName() + ": " + d.why()
        : String.valueOf(first);
    return verb + " " + count + " pod" + (count == 1 ? " " : "s, first ") + head
        + (trigger == null ? "" : "; trigger: " + trigger);
  }

  private static DaemonSetStatus withCollisionCount(DaemonSetStatus s, int collisions) {
    return new DaemonSetStatus(s.currentNumberScheduled(), s.numberMisscheduled(), s.desiredNumberScheduled(),
        s.numberReady(), s.observedGeneration(), s.updatedNumberScheduled(), s.numberAvailable(),
        s.numberUnavailable(), collisions, s.conditions(), s.rollout());
  }
}
