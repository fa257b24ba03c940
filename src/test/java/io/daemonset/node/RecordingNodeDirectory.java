package io.daemonset.node;

import io.daemonset.model.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** A node directory for single-entity tests: it records what entities announce and delivers nothing. */
public final class RecordingNodeDirectory implements NodeDirectory {
  public final Map<String, Node> nodes = new ConcurrentHashMap<>();

  @Override
  public void put(Node node) {
    nodes.put(node.name(), node);
  }

  @Override
  public void remove(String nodeName) {
    nodes.remove(nodeName);
  }

  @Override
  public <T> void subscribe(ActorContext<T> context, Function<Fleet, T> adapt) {
    // Single-entity tests push fleets by hand.
  }
}
