package io.daemonset.daemonset;

import io.daemonset.journal.JsonSerializable;
import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * What a DaemonSet should run and what it knows runs. Immutable; {@link #apply} is the one event handler,
 * used by the entity on recovery and by the journal-fed view alike.
 *
 * @param daemonSet the object as the API shows it (status included), null when it does not exist
 * @param specVersion counts changes of metadata and spec, for optimistic concurrency of API updates
 * @param bindings this DaemonSet's pods by name, including those of a deleted incarnation still being removed;
 *     a persistent sorted map, so that an event changes one binding in O(log n) instead of copying 5,000, and
 *     every iteration is in pod-name order (a decision never depends on a hash order)
 * @param revisions ControllerRevisions by name
 * @param podOrdinals how many pod ordinals were used so far; the next pod gets this one (its name and uid are
 *     derived from it, see {@link PodNames}), kept across incarnations so that no two pods share a name
 */
public record DaemonSetState(
    DaemonSet daemonSet,
    long specVersion,
    Map<String, PodBinding> bindings,
    Map<String, ControllerRevision> revisions,
    long podOrdinals) implements JsonSerializable {

  public static final DaemonSetState EMPTY = new DaemonSetState(null, 0, Map.of(), Map.of(), 0);

  public DaemonSetState {
    bindings = bindings instanceof PSortedMap<String, PodBinding> ? bindings : TreePMap.from(bindings);
  }

  private PSortedMap<String, PodBinding> sortedBindings() {
    return (PSortedMap<String, PodBinding>) bindings;
  }

  public boolean exists() {
    return daemonSet != null;
  }

  public boolean isTerminating() {
    return exists() && daemonSet.metadata().deletionTimestamp() != null;
  }

  public String uid() {
    return exists() ? daemonSet.metadata().uid() : null;
  }

  /** Bindings of the current incarnation. */
  public List<PodBinding> ownBindings() {
    String uid = uid();
    return bindings.values().stream().filter(b -> b.ownerUid().equals(uid)).toList();
  }

  public DaemonSetState apply(Event event) {
    if (event instanceof DaemonSetEntity.DaemonSetCreated e) {
      return new DaemonSetState(e.daemonSet(), specVersion + 1, bindings,
          OrphanRevisions.adoptedBy(e.daemonSet(), revisions), podOrdinals);
    } else if (event instanceof DaemonSetEntity.DaemonSetUpdated e) {
      return new DaemonSetState(e.daemonSet().withStatus(daemonSet.status()), specVersion + 1, bindings, revisions, podOrdinals);
    } else if (event instanceof DaemonSetEntity.StatusChanged e) {
      return new DaemonSetState(daemonSet.withStatus(e.status()), specVersion, bindings, revisions, podOrdinals);
    } else if (event instanceof DaemonSetEntity.DeletionStarted e) {
      ObjectMeta meta = daemonSet.metadata().withDeletionTimestamp(e.deletionTimestamp())
          .withFinalizers(finalizersOnDeletion(daemonSet.metadata(), e));
      // Background leaves the pods to the end (DaemonSetDeleted), as upstream's garbage collector deletes dependents
      // only once the owner is gone: while a user's finalizer holds the object, its pods stay.
      DaemonSetState marked = e.keepsObject() ? dependentsMarked(e.orphans() ? PodBinding.Phase.ORPHAN_REQUESTED
          : PodBinding.Phase.DELETE_REQUESTED, e.deletionTimestamp()) : this;
      return new DaemonSetState(daemonSet.withMetadata(meta), specVersion + 1, marked.bindings, revisions, podOrdinals);
    } else if (event instanceof DaemonSetEntity.FinalizerRemoved e) {
      List<String> left = daemonSet.metadata().finalizers() == null ? List.of()
          : daemonSet.metadata().finalizers().stream().filter(f -> !f.equals(e.finalizer())).toList();
      // The collector's orphan finalizer goes once the dependents are orphaned, revisions included (upstream): they
      // then outlive the object whatever ends its deletion.
      Map<String, ControllerRevision> kept = "orphan".equals(e.finalizer()) ? OrphanRevisions.orphaned(revisions, uid())
          : revisions;
      return new DaemonSetState(daemonSet.withMetadata(daemonSet.metadata().withFinalizers(left.isEmpty() ? null : left)),
          specVersion + 1, bindings, kept, podOrdinals);
    } else if (event instanceof DaemonSetEntity.DaemonSetDeleted e) {
      // Background: the owner is gone now, so its pods go (those of Foreground went already).
      PSortedMap<String, PodBinding> left = e.orphanPods() ? sortedBindings()
          : dependentsMarked(PodBinding.Phase.DELETE_REQUESTED, daemonSet.metadata().deletionTimestamp() != null
              ? daemonSet.metadata().deletionTimestamp() : e.cause().at()).sortedBindings();
      if (e.orphanPods()) {
        for (PodBinding b : bindings.values()) {
          if (b.ownerUid().equals(uid()) && !b.isBeingDeleted()) {
            left = left.minus(b.podName());
          }
        }
      }
      // Revisions orphaned before (the orphan finalizer's work done while a user's held the object) stay.
      Map<String, ControllerRevision> kept = e.orphanPods() ? OrphanRevisions.orphaned(revisions, uid())
          : OrphanRevisions.orphansOnly(revisions, uid());
      return new DaemonSetState(null, specVersion + 1, left, kept, podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionRecorded e) {
      Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
      next.put(e.revision().metadata().name(), e.revision());
      return new DaemonSetState(daemonSet, specVersion, bindings, Map.copyOf(next), podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionsTrimmed e) {
      Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
      e.names().forEach(next::remove);
      return new DaemonSetState(daemonSet, specVersion, bindings, Map.copyOf(next), podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionsHandedOver e) {
      Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
      for (String name : e.names()) {
        ControllerRevision r = next.get(name);
        if (r != null) {
          next.put(name, OrphanRevisions.owned(r, e.to()));
        }
      }
      return new DaemonSetState(daemonSet, specVersion, bindings, Map.copyOf(next), podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionsAdopted e) {
      Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
      e.revisions().forEach(r -> next.putIfAbsent(r.metadata().name(), r));
      return new DaemonSetState(daemonSet, specVersion, bindings, Map.copyOf(next), podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionsForgotten e) {
      Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
      e.names().forEach(next::remove);
      return new DaemonSetState(daemonSet, specVersion, bindings, Map.copyOf(next), podOrdinals);
    } else if (event instanceof DaemonSetEntity.RevisionsDeduplicated e) {
      return deduplicated(e);
    } else if (event instanceof DaemonSetEntity.PodsScheduled e) {
      PSortedMap<String, PodBinding> next = sortedBindings();
      for (DaemonSetEntity.ScheduledPod p : e.pods()) {
        next = next.plus(p.podName(), new PodBinding(p.podName(), p.podUid(), p.nodeName(), uid(),
            p.revisionHash(), PodBinding.Phase.SCHEDULED, "Pending", null, e.cause().at()));
      }
      long nextOrdinal = e.nextOrdinal() != null ? e.nextOrdinal() : podOrdinals + e.pods().size();
      return new DaemonSetState(daemonSet, specVersion, next, revisions, nextOrdinal);
    } else if (event instanceof DaemonSetEntity.PodsAnswered e) {
      DaemonSetState next = this;
      for (DaemonSetEntity.Event answer : e.events()) {
        next = next.apply(answer);
      }
      return next;
    } else if (event instanceof DaemonSetEntity.PodBound e) {
      return mapBinding(e.podName(), b -> b.phase() == PodBinding.Phase.SCHEDULED ? b.withPhase(PodBinding.Phase.BOUND) : b);
    } else if (event instanceof DaemonSetEntity.PodRejected e) {
      return withoutBinding(e.podName());
    } else if (event instanceof DaemonSetEntity.PodObserved e) {
      return mapBinding(e.podName(), b -> {
        PodBinding seen = b.observed(e.podPhase(), e.readySince(), e.waitingReason());
        if (seen.phase() == PodBinding.Phase.SCHEDULED) {
          seen = seen.withPhase(PodBinding.Phase.BOUND);
        }
        return e.terminating() ? seen.withPhase(PodBinding.Phase.TERMINATING) : seen;
      });
    } else if (event instanceof DaemonSetEntity.PodsDeletionRequested e) {
      PSortedMap<String, PodBinding> next = sortedBindings();
      for (DaemonSetEntity.PodDeletion d : e.pods()) {
        PodBinding b = next.get(d.podName());
        if (b != null && !b.isBeingDeleted()) {
          next = next.plus(d.podName(), b.withPendingPhase(PodBinding.Phase.DELETE_REQUESTED, e.cause().at()));
        }
      }
      return withBindings(next);
    } else if (event instanceof DaemonSetEntity.PodReleaseRequested e) {
      return mapBinding(e.podName(), b -> b.isBeingDeleted() ? b : b.withPhase(PodBinding.Phase.ORPHAN_REQUESTED));
    } else if (event instanceof DaemonSetEntity.PodRelabelled e) {
      return mapBinding(e.podName(), b -> b.withRelabelPending(false));
    } else if (event instanceof DaemonSetEntity.PodGone e) {
      return withoutBinding(e.podName());
    } else if (RolloutMemory.remembers(event)) {
      return new DaemonSetState(daemonSet.withStatus(RolloutMemory.apply(status(), event)), specVersion, bindings,
          revisions, podOrdinals);
    } else if (event instanceof DaemonSetEntity.PodAdopted e) {
      return withBindings(sortedBindings().minus(e.scheduledPodName()).plus(e.podName(), new PodBinding(e.podName(),
          e.podUid(), e.nodeName(), uid(), e.revisionHash(), PodBinding.Phase.BOUND, "Pending", null, e.createdAt())));
    }
    throw new IllegalArgumentException("unknown DaemonSet event " + event);
  }

  /**
   * The names of the bindings an event may change, for {@link NodeViews}; null when it may change any number (a
   * deletion starting or completing) or is not known here: the caller then compares the bindings in full. Kept beside
   * {@link #apply}: an event that changes a binding and is not listed here costs a full comparison, never a wrong view.
   */
  static java.util.Collection<String> podsChangedBy(Event event) {
    if (event instanceof DaemonSetEntity.PodsScheduled e) {
      return e.pods().stream().map(DaemonSetEntity.ScheduledPod::podName).toList();
    } else if (event instanceof DaemonSetEntity.PodsDeletionRequested e) {
      return e.pods().stream().map(DaemonSetEntity.PodDeletion::podName).toList();
    } else if (event instanceof DaemonSetEntity.PodsAnswered e) {
      return e.answers().stream().map(DaemonSetEntity.PodAnswer::podName).toList();
    } else if (event instanceof DaemonSetEntity.PodBound e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodObserved e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodRejected e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodGone e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodReleaseRequested e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodRelabelled e) {
      return List.of(e.podName());
    } else if (event instanceof DaemonSetEntity.PodAdopted e) {
      return List.of(e.scheduledPodName(), e.podName());
    } else if (event instanceof DaemonSetEntity.RevisionsDeduplicated e) {
      return e.pods();
    } else if (event instanceof DaemonSetEntity.DaemonSetCreated || event instanceof DaemonSetEntity.DaemonSetUpdated
        || event instanceof DaemonSetEntity.StatusChanged || event instanceof DaemonSetEntity.FinalizerRemoved
        || event instanceof DaemonSetEntity.RevisionRecorded || event instanceof DaemonSetEntity.RevisionsTrimmed
        || event instanceof DaemonSetEntity.RevisionsHandedOver || event instanceof DaemonSetEntity.RevisionsAdopted
        || event instanceof DaemonSetEntity.RevisionsForgotten || RolloutMemory.remembers(event)) {
      return List.of(); // the bindings map itself is kept
    }
    return null;
  }

  /** The duplicates go; their pods and the rollout's memory take the kept hash (upstream dedupCurHistories). */
  private DaemonSetState deduplicated(DaemonSetEntity.RevisionsDeduplicated e) {
    Map<String, String> moved = new LinkedHashMap<>();
    Map<String, ControllerRevision> next = new LinkedHashMap<>(revisions);
    for (String name : e.duplicates()) {
      ControllerRevision gone = next.remove(name);
      if (gone != null) {
        moved.put(io.daemonset.rollout.Revisions.hashOf(gone), e.keptHash());
      }
    }
    PSortedMap<String, PodBinding> relabelled = sortedBindings();
    for (String pod : e.pods()) {
      PodBinding b = relabelled.get(pod);
      if (b != null && moved.containsKey(b.revisionHash())) {
        relabelled = relabelled.plus(pod, b.withRevisionHash(e.keptHash()).withRelabelPending(true));
      }
    }
    DaemonSet ds = daemonSet.status() != null && daemonSet.status().rollout() != null
        ? daemonSet.withStatus(daemonSet.status().withRollout(RolloutMemory.relabelled(daemonSet.status().rollout(),
            moved)))
        : daemonSet;
    return new DaemonSetState(ds, specVersion, relabelled, Map.copyOf(next), podOrdinals);
  }

  /** A user's finalizers stay (the deletion waits for them); Foreground and Orphan add the collector's own. */
  private static List<String> finalizersOnDeletion(ObjectMeta meta, DaemonSetEntity.DeletionStarted e) {
    List<String> out = new java.util.ArrayList<>(DaemonSetObjects.userFinalizers(meta));
    if (e.keepsObject()) {
      out.add(e.finalizer());
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /**
   * The revision of this hash: named {@code <ds>-<hash>}, or, adopted from a DaemonSet of another name, the one whose
   * controller-revision-hash label is the hash.
   */
  public ControllerRevision revisionByHash(String hash) {
    ControllerRevision named = daemonSet == null ? null : revisions.get(daemonSet.metadata().name() + "-" + hash);
    if (named != null || hash == null) {
      return named;
    }
    return revisions.values().stream().filter(r -> hash.equals(io.daemonset.rollout.Revisions.hashOf(r)))
        .findFirst().orElse(null);
  }

  /** The current revision's hash as the reconcile takes it (the matched revision's label), for readers. */
  public String currentRevisionHash() {
    return ReconcileStep.currentHash(this);
  }

  public DaemonSetStatus status() {
    return daemonSet == null || daemonSet.status() == null ? DaemonSetStatus.EMPTY : daemonSet.status();
  }

  private DaemonSetState withBindings(PSortedMap<String, PodBinding> next) {
    return new DaemonSetState(daemonSet, specVersion, next, revisions, podOrdinals);
  }

  private DaemonSetState withoutBinding(String podName) {
    if (!bindings.containsKey(podName)) {
      return this;
    }
    return withBindings(sortedBindings().minus(podName));
  }

  private DaemonSetState mapBinding(String podName, UnaryOperator<PodBinding> change) {
    PodBinding binding = bindings.get(podName);
    if (binding == null) {
      return this;
    }
    PodBinding changed = change.apply(binding);
    return changed.equals(binding) ? this : withBindings(sortedBindings().plus(podName, changed));
  }

  /**
   * This incarnation's pods marked for deletion or orphaning as their owner goes. A pod its node has not confirmed yet
   * is orphaned too: the node may already hold it and list it, and a request sent after the admission reaches the node
   * after it (it answers "not here" if the admission failed). A released pod (ORPHAN_REQUESTED already) is no longer
   * this DaemonSet's: never deleted with it.
   */
  private DaemonSetState dependentsMarked(PodBinding.Phase next, java.time.Instant at) {
    return mapBindings(b -> !b.ownerUid().equals(uid()) || b.isBeingDeleted()
        || b.phase() == PodBinding.Phase.ORPHAN_REQUESTED ? b : b.withPendingPhase(next, at));
  }

  /** Rare (a deletion starts): the whole map is rebuilt once. */
  private DaemonSetState mapBindings(UnaryOperator<PodBinding> change) {
    PSortedMap<String, PodBinding> next = sortedBindings();
    for (PodBinding b : bindings.values()) {
      PodBinding changed = change.apply(b);
      if (!changed.equals(b)) {
        next = next.plus(b.podName(), changed);
      }
    }
    return withBindings(next);
  }
}
