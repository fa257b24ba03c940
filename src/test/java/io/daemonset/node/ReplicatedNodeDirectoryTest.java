package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory's subscribers (every DaemonSet) hear of a node that joins without waiting for the replicator's
 * notification round: here the round is an hour long, so only the flush can deliver it.
 */
class ReplicatedNodeDirectoryTest {
  static ActorTestKit KIT;

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    KIT = ActorTestKit.create(ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical.hostname = 127.0.0.1
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.distributed-data.notify-subscribers-interval = 1h
      """).withFallback(ConfigFactory.load()));
  }

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
    // the subscription's own flush delivers the (empty) parts
    TestProbe<Fleet> fleets = subscribed(directory);

    directory.putNow(node("joined"), Set.of(), 0);

    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> fleet.nodes().containsKey("joined")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void aPlainPutWaitsForTheNotificationRound() {
    ReplicatedNodeDirectory directory = new ReplicatedNodeDirectory(KIT.system());
    TestProbe<Fleet> fleets = subscribed(directory);

    directory.put(node("recovered"), Set.of(), 0);

    // the premise of the test above: without the flush, nothing comes before the (hour-long) round
    fleets.expectNoMessage(Duration.ofMillis(500));
  }

  /** Writes {@code node} as a member of the release before does: to its 32-key layout only. */
  private static void putAsAnOlderMember(String name) {
    var replicator = org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData.get(KIT.system()).replicator();
    var self = org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData.get(KIT.system()).selfUniqueAddress();
    ReplicatedNodeDirectory.Entry entry = new ReplicatedNodeDirectory.Entry(name, Map.of("zone", "old"), null, null,
        null, null);
    replicator.tell(new org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.Update<>(
        org.apache.pekko.cluster.ddata.LWWMapKey.<String, ReplicatedNodeDirectory.Entry>create(
            "node-directory-" + Math.floorMod(name.hashCode(), 32)),
        org.apache.pekko.cluster.ddata.LWWMap.create(),
        org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.writeLocal(), KIT.system().ignoreRef(),
        map -> map.put(self, name, entry)));
    replicator.tell(org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.flushChanges());
  }

  /** A subscriber of the directory, once every part has reached it. */
  private TestProbe<Fleet> subscribed(ReplicatedNodeDirectory directory) {
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
    return fleets;
  }

  @Test
  void aNodeAnOlderMemberHoldsInTheLegacyLayoutReachesTheSubscribersAndARemoveTakesItFromThere() {
    ReplicatedNodeDirectory directory = new ReplicatedNodeDirectory(KIT.system());
    TestProbe<Fleet> fleets = subscribed(directory);

    putAsAnOlderMember("on-an-older-member");
    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> fleet.nodes().containsKey("on-an-older-member")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

    directory.remove("on-an-older-member");
    org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData.get(KIT.system()).replicator()
        .tell(org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.flushChanges());
    fleets.fishForMessage(Duration.ofSeconds(10), fleet -> !fleet.nodes().containsKey("on-an-older-member")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void withNoOlderMemberAWriteGoesToTheCurrentLayoutOnly() {
    ReplicatedNodeDirectory directory = new ReplicatedNodeDirectory(KIT.system());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !LegacyDirectoryWriters.get(KIT.system()).mirror());

    directory.putNow(node("current-only"), Set.of(), 0);

    assertThat(entryUnder(ReplicatedNodeDirectory.keyFor("current-only"), "current-only")).isPresent();
    // the legacy layout's merge (of 5,000 / 32 entries per write) is what the current layout saves
    assertThat(entryUnder(org.apache.pekko.cluster.ddata.LWWMapKey.create(
        "node-directory-" + Math.floorMod("current-only".hashCode(), 32)), "current-only")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static java.util.Optional<ReplicatedNodeDirectory.Entry> entryUnder(
      org.apache.pekko.cluster.ddata.Key<org.apache.pekko.cluster.ddata.LWWMap<String, ReplicatedNodeDirectory.Entry>> key,
      String name) {
    TestProbe<org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.GetResponse<
        org.apache.pekko.cluster.ddata.LWWMap<String, ReplicatedNodeDirectory.Entry>>> probe = KIT.createTestProbe();
    org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData.get(KIT.system()).replicator().tell(
        new org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.Get<>(key,
            org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.readLocal(), probe.ref()));
    var response = probe.receiveMessage(Duration.ofSeconds(5));
    if (response instanceof org.apache.pekko.cluster.ddata.typed.javadsl.Replicator.GetSuccess<?> ok) {
      var map = (org.apache.pekko.cluster.ddata.LWWMap<String, ReplicatedNodeDirectory.Entry>) ok.dataValue();
      return java.util.Optional.ofNullable(map.getEntries().get(name));
    }
    return java.util.Optional.empty();
  }
}
