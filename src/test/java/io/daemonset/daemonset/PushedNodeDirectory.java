package io.daemonset.daemonset;

import io.daemonset.model.Node;
import io.daemonset.node.NodeDirectory;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** A node directory whose fleet a test pushes to the one subscribed entity. */
final class PushedNodeDirectory implements NodeDirectory {
  private volatile Consumer<Map<String, Node>> subscriber = fleet -> { };

  void push(Map<String, Node> fleet) {
    subscriber.accept(fleet);
  }

  @Override
  public void put(Node node) {
  }

  @Override
  public void remove(String nodeName) {
  }

  @Override
  public <T> void subscribe(ActorContext<T> context, Function<Map<String, Node>, T> adapt) {
    var self = context.getSelf();
    subscriber = fleet -> self.tell(adapt.apply(fleet));
  }
}
