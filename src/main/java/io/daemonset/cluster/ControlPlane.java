package io.daemonset.cluster;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * One member of the control plane: the cluster member with both entity types, this JVM's view, and the
 * object store the API and tests read and write through.
 */
public final class ControlPlane implements AutoCloseable {
  private final ControlPlaneSystem member;
  private final ClusterView view;
  private final ObjectStore store;

  private ControlPlane(ControlPlaneSystem member, ClusterView view) {
    this.member = member;
    this.view = view;
    this.store = new ObjectStore(member.system(), view);
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

  public ObjectStore store() {
    return store;
  }

  public static Cause cause(String user, String reason) {
    return Cause.byUser(java.time.Instant.now(), user, reason);
  }

  @Override
  public void close() {
    member.close();
  }
}
