package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.deleted;
import static io.daemonset.daemonset.ReconcileWorld.scheduled;
import static io.daemonset.daemonset.ReconcileWorld.withPodSpec;
import static io.daemonset.daemonset.ReconcilerRolloutTest.apply;
import static io.daemonset.daemonset.ReconcilerRolloutTest.budget;
import static io.daemonset.daemonset.ReconcilerRolloutTest.converged;
import static io.daemonset.daemonset.ReconcilerRolloutTest.settle;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.daemonset.model.DaemonSet;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A DaemonSet recovered from its snapshot decides what the live one decides: after three rollouts and annotation
 * writes, the state read back through the snapshot serializer (the journal's Jackson, with its modules) has the same
 * current revision, and its next reconcile replaces nothing. A full restart that began a rollout of every pod is what
 * a snapshot that changed the template, a revision's data or a pod's revision would look like.
 */
class DaemonSetSnapshotTest {
  static ActorTestKit kit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(ConfigFactory.defaultReference()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aDaemonSetRecoveredFromItsSnapshotReplacesNoPod() {
    ReconcileWorld w = converged(12, budget(3));
    for (String image : List.of("agent:2", "agent:3")) {
      apply(w, s -> withPodSpec(s, p -> p.withContainers(List.of(p.containers().get(0).withImage(image)))));
      settle(w);
    }
    DaemonSet ds = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(
        ds.withMetadata(ds.metadata().withAnnotations(Map.of("upgrade-write-1", "member-2"))), ReconcileWorld.NODE));
    assertThat(w.state.revisions()).hasSize(3);

    DaemonSetState restored = roundTrip(w.state);

    assertThat(ReconcileStep.currentHash(restored)).isEqualTo(ReconcileStep.currentHash(w.state));
    assertThat(restored.ownBindings()).extracting(PodBinding::revisionHash)
        .containsExactlyInAnyOrderElementsOf(w.state.ownBindings().stream().map(PodBinding::revisionHash).toList());
    assertThat(restored.daemonSet().spec().template()).isEqualTo(w.state.daemonSet().spec().template());
    w.state = restored;
    ReconcileOutput next = w.round();
    assertThat(deleted(next)).isEmpty();
    assertThat(scheduled(next)).isEmpty();
    assertThat(next.events()).noneMatch(e -> e instanceof DaemonSetEntity.RevisionRecorded);
  }

  private static DaemonSetState roundTrip(DaemonSetState state) {
    byte[] bytes = serialization.serialize(state).get();
    var serializer = serialization.findSerializerFor(state);
    return (DaemonSetState) serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();
  }
}
