package io.daemonset.node;

import com.typesafe.config.ConfigFactory;
import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The directory's subscribers (every DaemonSet) hear of a node that joins without waiting for the replicator's
 * notification round: here the round is an hour long, so only the flush can deliver it.
 */
class ReplicatedNodeDirectoryTest {
  static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.hostname = 127.0.0.1
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.distributed-data.notify-subscribers-interval = 1h
      """).withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static Node node(String name) {
    return new Node("v1", Node.KIND, ObjectMeta.named(null, name).withLabels(Map.of("zone", "a")),
        new NodeSpec(null, null, null, null), null);
  }

  @Test
  void aNodePutNowReachesTheSubscribersBeforeTheNextNotificationRound() {
    ReplicatedNodeDirectory directory = new ReplicatedNodeDirectory(KIT.system());
    TestProbe<Fleet> fleets = KIT.createTestProbe();
    KIT.spawn(Behaviors.<Fleet>setup(ctx -> {
      directory.subscribe(ctx, fleet -> fleet);
      return Behaviors.receiveMessage(fleet -> {
        fleets.ref().tell(fleet);
        return Behaviors.same();
      });
    }));
    // the subscription's own flush delivers the (empty) parts
    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> fleet.complete()
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

    directory.putNow(node("joined"), Set.of(), 0);

    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> fleet.nodes().containsKey("joined")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void aPlainPutWaitsForTheNotificationRound() {
    ReplicatedNodeDirectory directory = new ReplicatedNodeDirectory(KIT.system());
    TestProbe<Fleet> fleets = KIT.createTestProbe();
    KIT.spawn(Behaviors.<Fleet>setup(ctx -> {
      directory.subscribe(ctx, fleet -> fleet);
      return Behaviors.receiveMessage(fleet -> {
        fleets.ref().tell(fleet);
        return Behaviors.same();
      });
    }));
    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> fleet.complete()
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

    directory.put(node("recovered"), Set.of(), 0);

    // the premise of the test above: without the flush, nothing comes before the (hour-long) round
    fleets.expectNoMessage(Duration.ofMillis(500));
  }
}
