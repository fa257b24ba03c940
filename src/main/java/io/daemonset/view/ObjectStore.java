package io.daemonset.view;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Futures;
import io.daemonset.model.Node;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.model.RawObject;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the API (and anything else that reads and writes objects) talks to: reads come from this JVM's
 * view, writes go to the owning entity wherever it lives in the cluster, and a write's answer comes back
 * only once this view has applied it, so a client reads its own writes.
 */
public final class ObjectStore {
  public static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);

  private final ClusterSharding sharding;
  private final ClusterView view;

  public ObjectStore(ActorSystem<?> system, ClusterView view) {
    this.sharding = ClusterSharding.get(system);
    this.view = view;
  }

  public ClusterView view() {
    return view;
  }

  public ObjectIndex index() {
    return view.index();
  }

  /** A command to the DaemonSet entity "namespace/name". */
  public CompletionStage<Outcome<DaemonSet>> daemonSet(String namespace, String name,
      Function<ActorRef<Outcome<DaemonSet>>, DaemonSetEntity.Command> command) {
    String key = namespace + "/" + name;
    return Futures.plain(sharding.entityRefFor(DaemonSetEntity.ENTITY_TYPE_KEY, key).ask(command::apply, ASK_TIMEOUT))
        .thenCompose(outcome -> applied(DaemonSetEntity.ENTITY_TYPE_KEY.name() + "|" + key, outcome));
  }

  /** A command about a Node object to its entity. */
  public CompletionStage<Outcome<Node>> node(String name, Function<ActorRef<Outcome<Node>>, NodeEntity.Command> command) {
    return Futures.plain(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, name).ask(command::apply, ASK_TIMEOUT))
        .thenCompose(outcome -> applied(NodeEntity.ENTITY_TYPE_KEY.name() + "|" + name, outcome));
  }

  /** A command about a pod to the entity of the node it is bound to. */
  public CompletionStage<Outcome<Pod>> pod(String nodeName, Function<ActorRef<Outcome<Pod>>, NodeEntity.Command> command) {
    return Futures.plain(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, nodeName).ask(command::apply, ASK_TIMEOUT))
        .thenCompose(outcome -> applied(NodeEntity.ENTITY_TYPE_KEY.name() + "|" + nodeName, outcome));
  }

  /** A node's Lease (the agent's heartbeat): answered from the Node entity's memory, nothing to wait for. */
  public CompletionStage<Outcome<io.daemonset.model.Lease>> lease(String nodeName,
      Function<ActorRef<Outcome<io.daemonset.model.Lease>>, NodeEntity.Command> command) {
    return Futures.plain(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, nodeName).ask(command::apply, ASK_TIMEOUT))
        .thenCompose(outcome -> applied(NodeEntity.ENTITY_TYPE_KEY.name() + "|" + nodeName, outcome));
  }

  /** A command to the entity of the plain object resource/namespace/name (namespace null when cluster-scoped). */
  public CompletionStage<Outcome<RawObject>> plainObject(String resource, String namespace, String name,
      Function<ActorRef<Outcome<RawObject>>, ObjectEntity.Command> command) {
    String id = ObjectEntity.entityId(resource, namespace, name);
    return sharding.entityRefFor(ObjectEntity.ENTITY_TYPE_KEY, id).ask(command::apply, ASK_TIMEOUT)
        .thenCompose(outcome -> applied(ObjectEntity.ENTITY_TYPE_KEY.name() + "|" + id, outcome));
  }

  private <T> CompletionStage<Outcome<T>> applied(String persistenceId, Outcome<T> outcome) {
    if (!outcome.isOk() || outcome.sequenceNr() == 0) {
      return CompletableFuture.completedFuture(outcome);
    }
    // The entity may live on another member, whose journal writes this JVM does not hear of: look now.
    view.poke();
    return view.awaitApplied(persistenceId, outcome.sequenceNr()).thenApply(rv -> outcome);
  }

  /**
   * The DaemonSet entity's own state, newer than or as new as this view's: what a write retried after a storage
   * conflict reads, so that it does not re-read the version it just lost against.
   */
  public CompletionStage<io.daemonset.daemonset.DaemonSetState> latestDaemonSet(String namespace, String name) {
    return sharding.entityRefFor(DaemonSetEntity.ENTITY_TYPE_KEY, namespace + "/" + name)
        .ask(DaemonSetEntity.Get::new, ASK_TIMEOUT);
  }

  /** The Node entity's own state (see {@link #latestDaemonSet}). */
  public CompletionStage<io.daemonset.node.NodeState> latestNode(String name) {
    return sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, name).ask(NodeEntity.Get::new, ASK_TIMEOUT);
  }
}
