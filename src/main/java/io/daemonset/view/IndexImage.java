package io.daemonset.view;

import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Event;
import io.daemonset.node.NodeState;
import io.daemonset.objects.ObjectState;
import java.util.List;
import java.util.Map;

/**
 * What {@link ObjectIndex} holds, in the form a snapshot keeps: the entities' own states (what their event handlers
 * apply the next event to) and, of the objects derived from them, only each one's resourceVersion; the Kubernetes
 * Events, which no entity holds, in full. Served objects are derived again on restore, exactly as the index derived
 * them, so Secrets stay sealed in a snapshot and no object is kept twice.
 *
 * @param daemonSets DaemonSet entity states by entity id ("namespace/name")
 * @param nodes Node entity states by entity id (the node's name)
 * @param plainObjects states of existing plain objects by entity id
 * @param versions by resource, each served object's key and resourceVersion
 * @param events the Kubernetes Events as the index holds them
 */
public record IndexImage(
    Map<String, DaemonSetState> daemonSets,
    Map<String, NodeState> nodes,
    Map<String, ObjectState> plainObjects,
    Map<String, Map<String, Long>> versions,
    List<Event> events) implements JsonSerializable {}
