package io.daemonset.node;

import io.daemonset.model.Node;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The cluster-wide directory of nodes, as DaemonSets need to see them for placement. NodeEntity is the only
 * writer of its own entry: on every persisted change and when it recovers, never on a heartbeat. Each
 * DaemonSet subscribes and filters locally (see {@link ReplicatedNodeDirectory} for why).
 */
public interface NodeDirectory {

  /**
   * The node as placement needs it, and the namespaces in which it holds orphan pods a DaemonSet may adopt
   * ({@link NodeState#orphanNamespaces}): DaemonSets claim orphans only on the nodes that hold some in their namespace;
   * and the fingerprint of those orphans' labels ({@link NodeState#orphanLabels}), whose change (an orphan relabelled
   * or added) makes them claim there again at once.
   */
  void put(Node node, java.util.Set<String> orphanNamespaces, int orphanLabels);

  /**
   * As {@link #put}, for a change a DaemonSet should act on now (a node registered, its labels, taints or readiness
   * changed): the subscribers hear of it without waiting for the directory's next notification round.
   */
  default void putNow(Node node, java.util.Set<String> orphanNamespaces, int orphanLabels) {
    put(node, orphanNamespaces, orphanLabels);
  }

  void remove(String nodeName);

  /**
   * Delivers the whole fleet to the subscribing actor now and after each change, adapted to one of its own
   * messages; {@link Fleet#complete()} says whether every part of the directory has been seen yet.
   */
  <T> void subscribe(ActorContext<T> context, Function<Fleet, T> adapt);
}
