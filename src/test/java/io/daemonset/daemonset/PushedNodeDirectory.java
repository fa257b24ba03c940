package io.daemonset.daemonset;

import io.daemonset.model.Node;
import io.daemonset.node.Fleet;
import io.daemonset.node.NodeDirectory;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** A node directory whose fleet a test pushes to the one subscribed entity. */
final class PushedNodeDirectory implements NodeDirectory {
  private volatile Consumer<Fleet> subscriber = fleet -> { };

  /** Every part of the directory seen: the whole fleet. */
  void push(Map<String, Node> nodes) {
    subscriber.accept(Fleet.complete(nodes));
  }

  /** The whole fleet, some nodes holding orphan pods (node → namespaces), as NodeEntity announces them. */
  void push(Map<String, Node> nodes, Map<String, java.util.Set<String>> orphanNamespaces) {
    subscriber.accept(new Fleet(nodes, true, orphanNamespaces));
  }

  /** The whole fleet, some nodes holding orphan pods, with the fingerprint of their labels (node → fingerprint). */
  void push(Map<String, Node> nodes, Map<String, java.util.Set<String>> orphanNamespaces,
            Map<String, Integer> orphanLabels) {
    subscriber.accept(new Fleet(nodes, true, orphanNamespaces, orphanLabels));
  }

  /** Some parts of the directory not seen yet, as after a restart. */
  void pushPartial(Map<String, Node> nodes) {
    subscriber.accept(new Fleet(nodes, false));
  }

  @Override
  public void put(Node node, java.util.Set<String> orphanNamespaces, int orphanLabels) {
  }

  @Override
  public void remove(String nodeName) {
  }

  @Override
  public <T> void subscribe(ActorContext<T> context, Function<Fleet, T> adapt) {
    var self = context.getSelf();
    subscriber = fleet -> self.tell(adapt.apply(fleet));
  }
}
