package io.daemonset.view;

/**
 * One change of one API object, in journal order.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param resource the plural resource name: daemonsets, nodes, pods, controllerrevisions, events
 * @param namespace null for cluster-scoped objects
 * @param object the object after the change (for DELETED, as it last was), resourceVersion set
 * @param resourceVersion the journal ordering of the event that made this change
 * @param previous the object as the view held it before this change, null when it did not exist: what a list
 *     snapshot at an older resourceVersion restores ({@link ClusterView#snapshot})
 */
public record WatchEvent(String type, String resource, String namespace, String name, Object object,
                         long resourceVersion, StoredObject previous) {

  public String key() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
