package io.daemonset.node;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Whether this member must also write the node directory's legacy layout ({@link ReplicatedNodeDirectory}): while a
 * member that reads only that layout, one of a release before it, is in the cluster (a rolling upgrade or its
 * rollback). Every member of a release that reads the current layout adds its address to a replicated set; a member
 * missing from the set is taken for an older one, and so is every other member until the set has reached this one:
 * a write mirrored for nothing costs a merge, a write missing hides a node from that member's DaemonSets.
 */
final class LegacyDirectoryWriters implements Extension {
  /** Who reads the current layout: members' unique addresses ({@link #id}). */
  static final Key<ORSet<String>> CURRENT_READERS = ORSetKey.create("node-directory-256-readers");

  private static final ExtensionId<LegacyDirectoryWriters> ID = new ExtensionId<>() {
    @Override
    public LegacyDirectoryWriters createExtension(ActorSystem<?> system) {
      return new LegacyDirectoryWriters(system);
    }
  };

  /** Until the first look at the cluster: mirror (the safe side). */
  private volatile boolean mirror = true;

  static LegacyDirectoryWriters get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** Whether some member may read only the legacy layout. */
  boolean mirror() {
    return mirror;
  }

  /** The pure decision: mirror unless every member in the cluster said it reads the current layout. */
  static boolean mirrorNeeded(Set<String> members, Set<String> currentReaders) {
    return !currentReaders.containsAll(members);
  }

  static String id(UniqueAddress member) {
    return member.address() + "#" + member.longUid();
  }

  private LegacyDirectoryWriters(ActorSystem<?> system) {
    SelfUniqueAddress self = DistributedData.get(system).selfUniqueAddress();
    var replicator = DistributedData.get(system).replicator();
    replicator.tell(new Replicator.Update<>(CURRENT_READERS, ORSet.create(), Replicator.writeLocal(),
        system.ignoreRef(), readers -> readers.add(self, id(self.uniqueAddress()))));
    system.systemActorOf(watcher(system), "node-directory-legacy-writers", Props.empty());
  }

  private enum Look { INSTANCE }

  /** Looks again whenever the members or the readers change, and every second (the first look included). */
  @SuppressWarnings("unchecked")
  private Behavior<Object> watcher(ActorSystem<?> system) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Set<String>[] readers = new Set[] {Set.of()};
      var replicator = DistributedData.get(system).replicator();
      replicator.tell(new Replicator.Subscribe<>(CURRENT_READERS, ctx.getSelf().unsafeUpcast()));
      Cluster.get(system).subscriptions().tell(Subscribe.create(ctx.getSelf().unsafeUpcast(),
          ClusterEvent.MemberEvent.class));
      timers.startTimerWithFixedDelay(Look.INSTANCE, Duration.ofSeconds(1));
      return Behaviors.receiveMessage(msg -> {
        if (msg instanceof Replicator.Changed<?> changed) {
          readers[0] = Set.copyOf(((Replicator.Changed<ORSet<String>>) changed).dataValue().getElements());
        }
        Set<String> members = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
            .filter(m -> m.status() != MemberStatus.removed())
            .map(m -> id(m.uniqueAddress()))
            .collect(Collectors.toSet());
        mirror = mirrorNeeded(members, readers[0]);
        return Behaviors.same();
      });
    }));
  }
}
