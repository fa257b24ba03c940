package io.daemonset.audit;

import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * KIND/NAME as kubectl spells it (daemonset/logs, ds/logs, node/n1, pod/logs-x2k9f, controllerrevision/…),
 * with its namespace for namespaced kinds.
 *
 * @param resource the view's resource name (daemonsets, nodes, pods, controllerrevisions)
 */
public record ObjectRef(String resource, String namespace, String name) {
  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("daemonset", ObjectIndex.DAEMONSETS), Map.entry("daemonsets", ObjectIndex.DAEMONSETS),
      Map.entry("ds", ObjectIndex.DAEMONSETS), Map.entry("daemonsets.apps", ObjectIndex.DAEMONSETS),
      Map.entry("node", ObjectIndex.NODES), Map.entry("nodes", ObjectIndex.NODES), Map.entry("no", ObjectIndex.NODES),
      Map.entry("pod", ObjectIndex.PODS), Map.entry("pods", ObjectIndex.PODS), Map.entry("po", ObjectIndex.PODS),
      Map.entry("controllerrevision", ObjectIndex.REVISIONS),
      Map.entry("controllerrevisions", ObjectIndex.REVISIONS),
      Map.entry("controllerrevisions.apps", ObjectIndex.REVISIONS));

  /** Parses KIND/NAME; throws {@link IllegalArgumentException} with a one-line message. */
  public static ObjectRef parse(String kindSlashName, String namespace) {
    int slash = kindSlashName == null ? -1 : kindSlashName.indexOf('/');
    if (slash <= 0 || slash == kindSlashName.length() - 1) {
      throw new IllegalArgumentException("expected KIND/NAME (e.g. daemonset/logs, node/n1, pod/logs-x2k9f), got '"
          + kindSlashName + "'");
    }
    String kind = kindSlashName.substring(0, slash).toLowerCase(Locale.ROOT);
    String resource = KINDS.get(kind);
    if (resource == null) {
      throw new IllegalArgumentException("unknown kind '" + kindSlashName.substring(0, slash)
          + "': expected daemonset, node, pod or controllerrevision");
    }
    String name = kindSlashName.substring(slash + 1);
    boolean namespaced = !resource.equals(ObjectIndex.NODES);
    return new ObjectRef(resource, namespaced ? (namespace == null ? "default" : namespace) : null, name);
  }

  /** The journal of the entity behind it, for DaemonSets and nodes. */
  Optional<String> persistenceId() {
    return switch (resource) {
      case ObjectIndex.DAEMONSETS -> Optional.of("DaemonSet|" + namespace + "/" + name);
      case ObjectIndex.NODES -> Optional.of("Node|" + name);
      default -> Optional.empty();
    };
  }

  boolean matches(AuditRecord r) {
    Optional<String> own = persistenceId();
    if (own.isPresent()) {
      return own.get().equals(r.persistenceId());
    }
    return r.touches(resource, namespace, name)
        || (resource.equals(ObjectIndex.PODS) && r.touches(Change.BINDINGS, namespace, name));
  }

  boolean isObject(StoredObject o) {
    return o.resource().equals(resource) && o.name().equals(name)
        && (namespace == null || namespace.equals(o.namespace()));
  }
}
