package io.daemonset.api;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code kubectl explain} prints for the kinds and fields users write most: upstream's wording where the field
 * is upstream's, ours for the rollout controls this control plane adds. Keyed by record name and field ("" for the
 * record itself). A field without an entry is served without a description.
 */
final class SchemaDescriptions {
  static final String INT_OR_STRING = "IntOrString is a type that can hold an int32 or a string. When used in JSON or "
      + "YAML marshalling and unmarshalling, it produces or consumes the inner type.";
  static final String QUANTITY = "Quantity is a fixed-point representation of a number, such as 100m, 1Gi or 2.";
  static final String TIME = "Time is a wrapper around time.Time: an RFC 3339 date and time in UTC.";

  private static final Map<String, String> TEXT = Map.ofEntries(
      Map.entry("DaemonSet.", "DaemonSet represents the configuration of a daemon set."),
      Map.entry("DaemonSet.metadata", "Standard object's metadata."),
      Map.entry("DaemonSet.spec", "The desired behavior of this daemon set."),
      Map.entry("DaemonSet.status", "The current status of this daemon set. This data may be out of date by some "
          + "window of time. Populated by the system. Read-only."),
      Map.entry("DaemonSetSpec.", "DaemonSetSpec is the specification of a daemon set."),
      Map.entry("DaemonSetSpec.selector", "A label query over pods that are managed by the daemon set. Must match in "
          + "order to be controlled. It must match the pod template's labels."),
      Map.entry("DaemonSetSpec.template", "An object that describes the pod that will be created. The DaemonSet will "
          + "create exactly one copy of this pod on every node that matches the template's node selector (or on "
          + "every node if no node selector is specified)."),
      Map.entry("DaemonSetSpec.updateStrategy", "An update strategy to replace existing DaemonSet pods with new "
          + "pods."),
      Map.entry("DaemonSetSpec.minReadySeconds", "The minimum number of seconds for which a newly created DaemonSet "
          + "pod should be ready without any of its container crashing, for it to be considered available. "
          + "Defaults to 0."),
      Map.entry("DaemonSetSpec.revisionHistoryLimit", "The number of old history to retain to allow rollback. "
          + "Defaults to 10."),
      Map.entry("DaemonSetSpec.progressDeadlineSeconds", "The maximum time in seconds for a rollout to make "
          + "progress before it is reported as failed (Deployment's field)."),
      Map.entry("DaemonSetUpdateStrategy.", "DaemonSetUpdateStrategy is a struct used to control the update strategy "
          + "for a DaemonSet."),
      Map.entry("DaemonSetUpdateStrategy.type", "Type of daemon set update. Can be \"RollingUpdate\" or "
          + "\"OnDelete\". Default is RollingUpdate."),
      Map.entry("DaemonSetUpdateStrategy.rollingUpdate", "Rolling update config params. Present only if type = "
          + "\"RollingUpdate\"."),
      Map.entry("RollingUpdateDaemonSet.", "Spec to control the desired behavior of daemon set rolling update."),
      Map.entry("RollingUpdateDaemonSet.maxUnavailable", "The maximum number of DaemonSet pods that can be "
          + "unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number "
          + "of DaemonSet pods at the start of the update (ex: 10%). Absolute number is calculated from percentage "
          + "by rounding up. This cannot be 0 if MaxSurge is 0. Default value is 1."),
      Map.entry("RollingUpdateDaemonSet.maxSurge", "The maximum number of nodes with an existing available DaemonSet "
          + "pod that can have an updated DaemonSet pod during an update. Value can be an absolute number (ex: 5) "
          + "or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Default value "
          + "is 0."),
      Map.entry("RollingUpdateDaemonSet.partition", "That many pods stay on their old revision (OpenKruise's "
          + "partition); nodes that join still get the new one."),
      Map.entry("RollingUpdateDaemonSet.paused", "No pod is replaced while true; nodes that join still get a pod."),
      Map.entry("RollingUpdateDaemonSet.selector", "Only nodes matching it are updated; clearing it continues the "
          + "rollout everywhere."),
      Map.entry("RollingUpdateDaemonSet.canary", "A first step on some nodes, held until it has soaked."),
      Map.entry("RollingUpdateDaemonSet.failurePolicy", "What a failed rollout does: Continue (upstream), Pause, or "
          + "Rollback."),
      Map.entry("RollingUpdateDaemonSet.failureThreshold", "Updated pods in CrashLoopBackOff that fail the rollout "
          + "(default 3)."),
      Map.entry("Node.", "Node is a worker node in Kubernetes."),
      Map.entry("Node.spec", "Spec defines the behavior of a node."),
      Map.entry("Node.status", "Most recently observed status of the node. Populated by the system. Read-only."),
      Map.entry("NodeSpec.unschedulable", "Unschedulable controls node schedulability of new pods. By default, node "
          + "is schedulable."),
      Map.entry("NodeSpec.taints", "If specified, the node's taints."),
      Map.entry("Pod.", "Pod is a collection of containers that can run on a host. This resource is created by "
          + "clients and scheduled onto hosts."),
      Map.entry("PodSpec.containers", "List of containers belonging to the pod. There must be at least one container "
          + "in a Pod."),
      Map.entry("PodSpec.nodeSelector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      Map.entry("PodSpec.tolerations", "If specified, the pod's tolerations."),
      Map.entry("Container.image", "Container image name."),
      Map.entry("Container.command", "Entrypoint array. Not executed within a shell."),
      Map.entry("ObjectMeta.", "ObjectMeta is metadata that all persisted resources must have."),
      Map.entry("ObjectMeta.name", "Name must be unique within a namespace."),
      Map.entry("ObjectMeta.labels", "Map of string keys and values that can be used to organize and categorize "
          + "(scope and select) objects."),
      Map.entry("ObjectMeta.annotations", "Annotations is an unstructured key value map stored with a resource that "
          + "may be set by external tools to store and retrieve arbitrary metadata."),
      Map.entry("ControllerRevision.", "ControllerRevision implements an immutable snapshot of state data."),
      Map.entry("Event.", "Event is a report of an event somewhere in the cluster."));

  private SchemaDescriptions() {}

  static Optional<String> of(String record, String field) {
    return Optional.ofNullable(TEXT.get(record + "." + field));
  }
}
