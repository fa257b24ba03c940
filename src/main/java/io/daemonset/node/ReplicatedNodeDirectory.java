package io.daemonset.node;

import io.daemonset.JsonSerializable;
import io.daemonset.model.Node;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * The node directory as a replicated LWWMap (Pekko Distributed Data) from node name to the node.
 *
 * <p>Why replicated data and not a query: every DaemonSet entity must know every node (5,000 nodes ×
 * 50 DaemonSets), react within moments to a label or taint change, and a JVM that joins must learn the
 * whole fleet at once. NodeEntity is the only writer of its own entry; it writes on every persisted
 * change and when it recovers, never on a heartbeat. Each DaemonSet subscribes and filters locally.
 */
public final class ReplicatedNodeDirectory implements NodeDirectory {

  /** A node as the directory holds it; wrapped so the replicator serializes it with Jackson. */
  public record Entry(Node node) implements JsonSerializable {}

  public static final Key<LWWMap<String, Entry>> KEY = LWWMapKey.create("node-directory");

  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final ActorSystem<?> system;

  public ReplicatedNodeDirectory(ActorSystem<?> system) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
  }

  @Override
  public void put(Node node) {
    replicator.tell(new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
        map -> map.put(self, node.name(), new Entry(node))));
  }

  @Override
  public void remove(String nodeName) {
    replicator.tell(new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
        map -> map.remove(self, nodeName)));
  }

  /** Subscribers get the whole map on subscription and after changes (throttled by notify-subscribers-interval). */
  @Override
  @SuppressWarnings("unchecked")
  public <T> void subscribe(ActorContext<T> context, Function<Map<String, Node>, T> adapt) {
    ActorRef<Replicator.SubscribeResponse<LWWMap<String, Entry>>> adapter = context.messageAdapter(
        (Class<Replicator.SubscribeResponse<LWWMap<String, Entry>>>) (Class<?>) Replicator.SubscribeResponse.class,
        response -> adapt.apply(response instanceof Replicator.Changed<LWWMap<String, Entry>> changed
            ? nodesOf(changed.dataValue()) : null));
    replicator.tell(new Replicator.Subscribe<>(KEY, adapter));
  }

  public static Map<String, Node> nodesOf(LWWMap<String, Entry> map) {
    Map<String, Node> nodes = new TreeMap<>();
    map.getEntries().forEach((name, entry) -> nodes.put(name, entry.node()));
    return nodes;
  }
}
