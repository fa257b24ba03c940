package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.OwnerReference;
import io.daemonset.rollout.Revisions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 (upstream's ClaimControllerRevisions across names), as the view serves it: the revisions an Orphan deletion
 * left are found by selector for a DaemonSet of another name, and their hand-over between the two entities shows as
 * MODIFIED of one object, never DELETED and ADDED, also for an index restored in the middle of it.
 */
class RevisionHandOverTest {
  static final Cause CAUSE = Cause.byUser(Instant.parse("2026-12-01T00:00:00Z"), "alice", "test");

  static DaemonSet named(DaemonSet template, String name, String uid) {
    return template.withMetadata(template.metadata().withName(name).withUid(uid));
  }

  @Test
  void orphanRevisionsAreFoundBySelectorAndHandedOverAsOneModifiedObject() {
    DaemonSet base = KubeEventsTest.withPodOnN1().daemonSet();
    DaemonSet old = named(base, "a", "uid-a");
    DaemonSet adopter = named(base, "b", "uid-b");
    ObjectIndex index = new ObjectIndex();
    ControllerRevision revision = Revisions.snapshot(old, "h1", 1);
    index.apply("DaemonSet|default/a", 1, new DaemonSetEntity.DaemonSetCreated(old, CAUSE));
    index.apply("DaemonSet|default/a", 2, new DaemonSetEntity.RevisionRecorded(revision, CAUSE));
    index.apply("DaemonSet|default/a", 3, new DaemonSetEntity.DeletionStarted("Orphan", CAUSE.at(), CAUSE));
    index.apply("DaemonSet|default/a", 4, new DaemonSetEntity.DaemonSetDeleted("Orphan", CAUSE));
    index.apply("DaemonSet|default/b", 5, new DaemonSetEntity.DaemonSetCreated(adopter, CAUSE));
    var selector = adopter.spec().selector();

    assertThat(index.adoptableRevisions("default", selector, "default/b", "uid-b"))
        .isEqualTo(Map.of("default/a", List.of("a-h1")));
    assertThat(index.adoptableRevisions("default", selector, "default/a", "uid-a")).as("not its own").isEmpty();
    assertThat(index.adoptableRevisions("other", selector, "other/b", "uid-b")).as("another namespace").isEmpty();

    OwnerReference owner = OwnerReference.controlledBy("apps/v1", "DaemonSet", "b", "uid-b");
    var handedOver = index.apply("DaemonSet|default/a", 6,
        new DaemonSetEntity.RevisionsHandedOver(List.of("a-h1"), owner, CAUSE));
    assertThat(handedOver).extracting(WatchEvent::type).containsExactly("MODIFIED");
    assertThat(index.adoptableRevisions("default", selector, "default/b", "uid-b")).as("a hand-over to finish")
        .isEqualTo(Map.of("default/a", List.of("a-h1")));
    assertThat(index.adoptableRevisions("default", selector, "default/c", "uid-c")).as("no longer an orphan")
        .isEmpty();

    ControllerRevision adopted = (ControllerRevision) handedOver.get(0).object();
    var recorded = index.apply("DaemonSet|default/b", 7, new DaemonSetEntity.RevisionsAdopted("default/a",
        List.of(new ControllerRevision(adopted.apiVersion(), adopted.kind(),
            adopted.metadata().withResourceVersion(null), adopted.data(), adopted.revision())), CAUSE));
    assertThat(recorded).filteredOn(c -> ObjectIndex.REVISIONS.equals(c.resource())).extracting(WatchEvent::type)
        .containsExactly("MODIFIED");

    // restored in the middle of the hand-over: one object, the adopter's
    ObjectIndex restored = new ObjectIndex();
    restored.restore(index.image());
    assertThat(IndexImageTest.served(restored)).isEqualTo(IndexImageTest.served(index));

    var forgotten = index.apply("DaemonSet|default/a", 8, new DaemonSetEntity.RevisionsForgotten(List.of("a-h1"),
        CAUSE));
    assertThat(forgotten).filteredOn(c -> ObjectIndex.REVISIONS.equals(c.resource())).isEmpty();
    ControllerRevision served = (ControllerRevision) index.get(ObjectIndex.REVISIONS, "default", "a-h1")
        .orElseThrow().object();
    assertThat(served.metadata().ownerReferences()).containsExactly(owner);
    assertThat(index.adoptableRevisions("default", selector, "default/b", "uid-b")).isEmpty();
  }

  /**
   * A DaemonSet held by a user's finalizer after its Orphan deletion orphaned its revisions may hand them over before it
   * is gone: its final DaemonSetDeleted must not take the adopter's controller reference off them again.
   */
  @Test
  void theHoldersDeletionLeavesTheAdoptersControllerOnARevisionHandedOver() {
    DaemonSet base = KubeEventsTest.withPodOnN1().daemonSet();
    DaemonSet old = named(base, "a", "uid-a");
    old = old.withMetadata(old.metadata().withFinalizers(List.of("example.com/keep")));
    ObjectIndex index = new ObjectIndex();
    index.apply("DaemonSet|default/a", 1, new DaemonSetEntity.DaemonSetCreated(old, CAUSE));
    index.apply("DaemonSet|default/a", 2, new DaemonSetEntity.RevisionRecorded(Revisions.snapshot(old, "h1", 1), CAUSE));
    index.apply("DaemonSet|default/a", 3, new DaemonSetEntity.DeletionStarted("Orphan", CAUSE.at(), CAUSE));
    index.apply("DaemonSet|default/a", 4, new DaemonSetEntity.FinalizerRemoved("orphan", CAUSE));
    OwnerReference owner = OwnerReference.controlledBy("apps/v1", "DaemonSet", "b", "uid-b");
    index.apply("DaemonSet|default/a", 5, new DaemonSetEntity.RevisionsHandedOver(List.of("a-h1"), owner, CAUSE));

    index.apply("DaemonSet|default/a", 6, new DaemonSetEntity.DaemonSetDeleted("Orphan", CAUSE));

    ControllerRevision served = (ControllerRevision) index.get(ObjectIndex.REVISIONS, "default", "a-h1")
        .orElseThrow().object();
    assertThat(served.metadata().ownerReferences()).containsExactly(owner);
  }
}
