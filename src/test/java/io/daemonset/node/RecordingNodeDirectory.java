package io.daemonset.node;

import io.daemonset.model.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** A node directory for single-entity tests: it records what entities announce and delivers nothing. */
public final class RecordingNodeDirectory implements NodeDirectory {
  public final Map<String, Node> nodes = new ConcurrentHashMap<>();
  /** What each node last announced: the namespaces where it holds adoptable orphans. */
  public final Map<String, java.util.Set<String>> orphanNamespaces = new ConcurrentHashMap<>();
  /** What each node last announced: the fingerprint of its orphans' labels. */
  public final Map<String, Integer> orphanLabels = new ConcurrentHashMap<>();
  /** How many times each node announced itself. */
  public final Map<String, Integer> announcements = new ConcurrentHashMap<>();

  @Override
  public void put(Node node, java.util.Set<String> orphanNamespaces, int orphanLabels) {
    nodes.put(node.name(), node);
    this.orphanNamespaces.put(node.name(), orphanNamespaces);
    this.orphanLabels.put(node.name(), orphanLabels);
    announcements.merge(node.name(), 1, Integer::sum);
  }

  /** How many of those announcements asked the subscribers to hear of it at once ({@link NodeDirectory#putNow}). */
  public final Map<String, Integer> announcedNow = new ConcurrentHashMap<>();

  @Override
  public void putNow(Node node, java.util.Set<String> orphanNamespaces, int orphanLabels) {
    put(node, orphanNamespaces, orphanLabels);
    announcedNow.merge(node.name(), 1, Integer::sum);
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
