package io.daemonset.cluster;

import io.daemonset.journal.Journal;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectStore;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;

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
    // DaemonSets find revisions of other DaemonSets' entities by selector in this member's view, started below
    java.util.concurrent.atomic.AtomicReference<ClusterView> started = new java.util.concurrent.atomic.AtomicReference<>();
    io.daemonset.daemonset.RevisionFinder finder = (namespace, selector, askerKey, askerUid) -> {
      ClusterView view = started.get();
      return view == null ? java.util.Map.of()
          : view.index().adoptableRevisions(namespace, selector, askerKey, askerUid);
    };
    ControlPlaneSystem member = ControlPlaneSystem.start(settings
        .withInitializer(system -> NodeEntity.init(system, DaemonSetEntity.podObserver(system), clock))
        .withInitializer(system -> DaemonSetEntity.init(system, clock, finder))
        .withInitializer(system -> ObjectEntity.init(system, clock))
        .withInitializer(system -> io.daemonset.audit.AuditSealing.init(system,
            JournalDatabases.of(system.settings().config()), JournalDatabases.auditKey(system.settings().config()))));
    ControlPlane plane = new ControlPlane(member, ClusterView.start(member.system(), Journal.TAG));
    started.set(plane.view);
    io.daemonset.node.FleetSize.get(member.system())
        .countedBy(() -> plane.view.index().list(io.daemonset.view.ObjectIndex.NODES).size());
    // Node entities are not remembered: the nodes the view lists are woken where they should run (NodeWaker).
    io.daemonset.node.NodeWaker.start(member.system(), member.memberUp().thenCompose(up -> plane.view.caughtUp()),
        () -> plane.view.index().list(io.daemonset.view.ObjectIndex.NODES).stream()
            .map(io.daemonset.view.StoredObject::name).toList());
    NamespaceController.start(member.system(), member.memberUp(), plane.store(), clock);
    return plane;
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

  @Override
  public void close() {
    member.close();
  }
}
