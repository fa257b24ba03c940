package io.daemonset.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.cluster.NodeCredentialEntity;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.Json;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.objects.ObjectState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One snapshot of every entity's state (what RetentionCriteria.snapshotEvery stores, and a recovery reads before
 * the events after it), built through the states' own event handlers from {@link EventSamples}: the expected side
 * of {@code golden/snapshots/<class>.json}. Never changed once its fixture is checked in.
 */
final class SnapshotSamples {
  private SnapshotSamples() {}

  static Map<Class<?>, Object> snapshots() {
    Map<Class<?>, Object> events = EventSamples.events();
    DaemonSetState daemonSet = DaemonSetState.EMPTY;
    for (Class<?> type : new Class<?>[] {DaemonSetEntity.DaemonSetCreated.class,
        DaemonSetEntity.RevisionRecorded.class, DaemonSetEntity.PodsScheduled.class,
        DaemonSetEntity.StatusChanged.class}) {
      daemonSet = daemonSet.apply((DaemonSetEntity.Event) events.get(type));
    }
    NodeState node = NodeState.EMPTY;
    for (Class<?> type : new Class<?>[] {NodeEntity.NodeRegistered.class, NodeEntity.PodAdmitted.class,
        NodeEntity.PodMetadataUpdated.class}) {
      node = node.apply((NodeEntity.Event) events.get(type));
    }
    Map<Class<?>, Object> out = new LinkedHashMap<>();
    out.put(DaemonSetState.class, daemonSet);
    out.put(NodeState.class, node);
    out.put(ObjectState.class, new ObjectState("secrets", Json.read(EventSamples.SECRET, JsonNode.class),
        EventSamples.SEALED, 3));
    NodeCredentialEntity.CredentialIssued issued =
        (NodeCredentialEntity.CredentialIssued) events.get(NodeCredentialEntity.CredentialIssued.class);
    out.put(NodeCredentialEntity.State.class,
        new NodeCredentialEntity.State(issued.uid(), issued.token(), issued.issuedAt()));
    return out;
  }
}
