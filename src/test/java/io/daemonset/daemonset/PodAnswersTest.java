package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.NODE;
import static io.daemonset.daemonset.ReconcileWorld.T0;
import static io.daemonset.daemonset.ReconcileWorld.admitAll;
import static io.daemonset.daemonset.ReconcileWorld.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.daemonset.DaemonSetEntity.PodBound;
import io.daemonset.daemonset.DaemonSetEntity.PodObserved;
import io.daemonset.daemonset.DaemonSetEntity.PodRejected;
import io.daemonset.daemonset.DaemonSetEntity.PodsAnswered;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/** One journal row for a run of node answers: the same events, in the same order, replayed to the same state. */
class PodAnswersTest {
  private static final PodBound BOUND_A = new PodBound("a", NODE);
  private static final PodObserved SEEN_A = new PodObserved("a", "Running", T0, false, NODE);
  private static final PodRejected REJECTED_B = new PodRejected("b", "n2", "no room", NODE);
  private static final PodObserved SEEN_C = new PodObserved("c", "Failed", null, true, NODE, "CrashLoopBackOff");
  private static final PodBound BOUND_D = new PodBound("d", NODE);

  @Test
  void foldsEachRunOfAnswersAndKeepsEveryOtherEventInItsPlace() {
    record Row(List<Event> in, List<String> out) {}
    List<Row> table = List.of(
        new Row(List.of(), List.of()),
        new Row(List.of(BOUND_A), List.of("PodBound")),
        new Row(List.of(BOUND_A, SEEN_A), List.of("PodsAnswered[a,a]")),
        new Row(List.of(BOUND_A, SEEN_A, REJECTED_B, SEEN_C), List.of("PodsAnswered[a,a]", "PodRejected", "PodObserved")),
        new Row(List.of(REJECTED_B, SEEN_C, BOUND_D, REJECTED_B), List.of("PodRejected", "PodsAnswered[c,d]",
            "PodRejected")));
    for (Row row : table) {
      assertThat(PodAnswers.batched(row.in(), T0).stream().map(PodAnswersTest::describe).toList())
          .as("%s", row.in()).isEqualTo(row.out());
    }
  }

  @Test
  void aBatchHoldsTheAnswersThemselvesInOrder() {
    PodsAnswered batch = (PodsAnswered) PodAnswers.batched(List.of(BOUND_A, SEEN_A, SEEN_C), T0).get(0);
    assertThat(batch.events()).containsExactly(BOUND_A, SEEN_A, SEEN_C);
  }

  @Test
  void aConvergeWritesItsAnswersAsOneRowAndReplaysToTheSameState() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 50, null));
    ReconcileOutput placed = w.round();
    List<DaemonSetEntity.Fact> answers = new ArrayList<>(List.of(admitAll(placed)));
    DaemonSetState before = w.state;
    ReconcileOutput bound = w.round(answers.toArray(DaemonSetEntity.Fact[]::new));
    List<Event> batches = bound.events().stream().filter(e -> e instanceof PodsAnswered).toList();
    assertThat(batches).hasSize(1);
    assertThat(((PodsAnswered) batches.get(0)).answers()).hasSize(50);
    // replaying the unfolded events gives the state the batch gives
    DaemonSetState unfolded = before;
    for (Event e : bound.events()) {
      for (Event one : e instanceof PodsAnswered a ? a.events() : List.of(e)) {
        unfolded = unfolded.apply(one);
      }
    }
    assertThat(unfolded).isEqualTo(bound.state());
    assertThat(bound.state().ownBindings()).allMatch(b -> b.phase() == PodBinding.Phase.BOUND);
  }

  @Test
  void aBatchSurvivesTheJournalsSerializer() {
    ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(ConfigFactory.defaultReference()));
    try {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
      Event batch = PodAnswers.batched(List.of(BOUND_A, SEEN_A, SEEN_C), T0).get(0);
      byte[] bytes = serialization.serialize(batch).get();
      var serializer = serialization.findSerializerFor(batch);
      Object back = serialization.deserialize(bytes, serializer.identifier(),
          Serializers.manifestFor(serializer, batch)).get();
      assertThat(back).isEqualTo(batch);
      assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static String describe(Event e) {
    return e instanceof PodsAnswered a
        ? "PodsAnswered" + a.answers().stream().map(DaemonSetEntity.PodAnswer::podName).toList().toString()
            .replace(" ", "")
        : e.getClass().getSimpleName();
  }
}
