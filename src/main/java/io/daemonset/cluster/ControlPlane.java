package io.daemonset.cluster;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ClusterView;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * One member of the control plane: the cluster member with both entity types, and this JVM's view.
 * Its methods are the way in for the API, the serve command and tests: a write goes to the owning
 * entity, and its answer comes back once this JVM's view has applied it (read your writes).
 */
public final class ControlPlane implements AutoCloseable {
  public static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);

  private final ControlPlaneSystem member;
  private final ClusterView view;

  private ControlPlane(ControlPlaneSystem member, ClusterView view) {
    this.member = member;
    this.view = view;
  }

  public static ControlPlane start(ControlPlaneSystem.Settings settings, Clock clock) {
    ControlPlaneSystem member = ControlPlaneSystem.start(settings
        .withInitializer(system -> NodeEntity.init(system, DaemonSetEntity.podObserver(system), clock))
        .withInitializer(system -> DaemonSetEntity.init(system, clock)));
    return new ControlPlane(member, ClusterView.start(member.system(), NodeEntity.TAG));
  }

  public ActorSystem<?> system() {
    return member.system();
  }

  public ControlPlaneSystem member() {
    return member;
  }

  public ClusterView view() {
    return view;
  }

  /** Sends a command to a DaemonSet entity ("namespace/name") and waits until the view shows its effect. */
  public CompletionStage<Outcome<DaemonSet>> daemonSet(String key,
      Function<ActorRef<Outcome<DaemonSet>>, DaemonSetEntity.Command> command) {
    return ClusterSharding.get(system()).entityRefFor(DaemonSetEntity.ENTITY_TYPE_KEY, key)
        .ask(command::apply, ASK_TIMEOUT)
        .thenCompose(outcome -> applied(DaemonSetEntity.ENTITY_TYPE_KEY.name() + "|" + key, outcome));
  }

  public CompletionStage<Outcome<Node>> node(String name, Function<ActorRef<Outcome<Node>>, NodeEntity.Command> command) {
    return ClusterSharding.get(system()).entityRefFor(NodeEntity.ENTITY_TYPE_KEY, name)
        .ask(command::apply, ASK_TIMEOUT)
        .thenCompose(outcome -> applied(NodeEntity.ENTITY_TYPE_KEY.name() + "|" + name, outcome));
  }

  public CompletionStage<Outcome<Pod>> pod(String nodeName, Function<ActorRef<Outcome<Pod>>, NodeEntity.Command> command) {
    return ClusterSharding.get(system()).entityRefFor(NodeEntity.ENTITY_TYPE_KEY, nodeName)
        .ask(command::apply, ASK_TIMEOUT)
        .thenCompose(outcome -> applied(NodeEntity.ENTITY_TYPE_KEY.name() + "|" + nodeName, outcome));
  }

  private <T> CompletionStage<Outcome<T>> applied(String persistenceId, Outcome<T> outcome) {
    if (!outcome.isOk() || outcome.sequenceNr() == 0) {
      return java.util.concurrent.CompletableFuture.completedFuture(outcome);
    }
    return view.awaitApplied(persistenceId, outcome.sequenceNr()).thenApply(rv -> outcome);
  }

  public static Cause cause(String user, String reason) {
    return Cause.byUser(java.time.Instant.now(), user, reason);
  }

  @Override
  public void close() {
    member.close();
  }
}
