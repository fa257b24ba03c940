package io.daemonset.daemonset;

import static io.daemonset.testing.Eventually.await;
import static io.daemonset.testing.Eventually.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Outcome;
import io.daemonset.node.Admission;
import io.daemonset.node.NodeEntity;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DaemonSets send nodes no more writes at once than the member's {@link NodeWriteBudget} allows, keep the rest,
 * send them as permits come back, and share the budget: a second DaemonSet progresses while the first still waits.
 */
class DaemonSetWriteBudgetTest {
  static final int CAPACITY = 2 * NodeWriteBudget.MIN_SHARE;
  /** One system per test: the budget is the system's, and each test starts with all of it. */
  final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
          "daemonset.controller.node-writes-in-flight = " + CAPACITY)
      .withFallback(EventSourcedBehaviorTestKit.config()));

  /** Every node is this one recorder: it keeps the admissions it is asked for, unanswered until the test answers. */
  final ConcurrentLinkedQueue<NodeEntity.AdmitPod> asked = new ConcurrentLinkedQueue<>();
  final ActorRef<NodeEntity.Command> nodes = testKit.spawn(Behaviors.receiveMessage(command -> {
    if (command instanceof NodeEntity.AdmitPod admit) {
      asked.add(admit);
    }
    return Behaviors.same();
  }));

  @AfterEach
  void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aFleetLargerThanTheBudgetIsAdmittedAsPermitsComeBack() {
    PushedNodeDirectory directory = new PushedNodeDirectory();
    create("wide", directory);
    int fleetSize = 3 * CAPACITY;
    directory.push(fleet(fleetSize));

    await("the budget's worth of admissions").until(() -> asked.size() == CAPACITY);
    holdsFor("no admission beyond the budget", Duration.ofMillis(300)).until(() -> asked.size() == CAPACITY);

    answer(5);
    await("five more, one per permit back").until(() -> asked.size() == CAPACITY + 5);
    holdsFor("and no more", Duration.ofMillis(300)).until(() -> asked.size() == CAPACITY + 5);

    await("every node asked once its turn came").until(() -> {
      answer(asked.size());
      return asked.stream().map(a -> Admission.targetNode(a.pod())).distinct().count() == fleetSize;
    });
  }

  @Test
  void aSecondDaemonSetGetsItsShareWhileTheFirstStillWaits() {
    PushedNodeDirectory first = new PushedNodeDirectory();
    create("first", first);
    first.push(fleet(3 * CAPACITY));
    await("the first takes the whole budget").until(() -> asked.size() == CAPACITY);

    PushedNodeDirectory second = new PushedNodeDirectory();
    create("second", second);
    second.push(fleet(3 * CAPACITY));
    holdsFor("nothing free for the second", Duration.ofMillis(200)).until(() -> fromSecond() == 0);

    // the first's answers come back one by one: its share is now half the budget, so the permits go to the second
    for (int answered = 0; answered < CAPACITY / 2; answered++) {
      answer(1);
    }
    await("the second got half the budget while the first still has admissions waiting")
        .until(() -> fromSecond() == CAPACITY / 2);
  }

  private long fromSecond() {
    return asked.stream().filter(a -> a.pod().metadata().name().startsWith("second-")).count();
  }

  private final java.util.Set<NodeEntity.AdmitPod> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Admits the first {@code count} asked and not yet answered, oldest first. */
  private void answer(int count) {
    asked.stream().filter(answered::add).limit(count).toList().forEach(a ->
        a.replyTo().tell(new NodeEntity.AdmitResult(a.pod().metadata().namespace() + "/" + a.pod().metadata().name(),
            true, "admitted")));
  }

  private void create(String name, PushedNodeDirectory directory) {
    var ref = testKit.spawn(DaemonSetEntity.create("default/" + name, directory, node -> nodes, Clock.systemUTC()));
    DaemonSet ds = DaemonSetEntityTest.daemonSet();
    ds = ds.withMetadata(ds.metadata().withName(name));
    TestProbe<Outcome<DaemonSet>> created = testKit.createTestProbe();
    ref.tell(new DaemonSetEntity.Create(ds, DaemonSetEntityTest.ALICE, created.ref()));
    created.expectMessageClass(Outcome.class, Duration.ofSeconds(5));
  }

  private static Map<String, Node> fleet(int size) {
    Map<String, Node> nodes = new TreeMap<>();
    IntStream.rangeClosed(1, size).forEach(i -> nodes.put("n" + i, DaemonSetEntityTest.node("n" + i)));
    return nodes;
  }
}
