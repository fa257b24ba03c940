package io.daemonset.api;

import io.daemonset.model.Pod;
import io.daemonset.model.PodReferences;
import io.daemonset.view.ObjectIndex;
import java.util.Optional;

/**
 * Upstream's Node authorizer for ConfigMaps and Secrets: a node agent may get one only when a pod bound to its node
 * references it (volumes, env, envFrom). The authorizer lets node agents ask ({@code get} only); this checks the
 * relation in the view, and answers the 403 upstream answers otherwise.
 */
final class NodeReferences {
  private NodeReferences() {}

  static void check(ObjectIndex index, Call call) {
    Optional<String> node = call.who().nodeName();
    String resource = call.kind().resource;
    if (node.isEmpty() || !(resource.equals(ObjectIndex.CONFIGMAPS) || resource.equals(ObjectIndex.SECRETS))) {
      return;
    }
    String namespace = call.req().namespace();
    String name = call.req().name();
    boolean referenced = index.list(ObjectIndex.PODS).stream()
        .map(o -> (Pod) o.object())
        .filter(p -> namespace.equals(p.metadata().namespace()) && p.spec() != null
            && node.get().equals(p.spec().nodeName()))
        .anyMatch(p -> (resource.equals(ObjectIndex.SECRETS) ? PodReferences.secrets(p.spec())
            : PodReferences.configMaps(p.spec())).contains(name));
    if (!referenced) {
      throw ApiException.forbidden(call.groupResource(), name, "User " + Authorizer.quote(call.who().user())
          + " cannot get resource " + Authorizer.quote(resource) + " in API group \"\" in the namespace "
          + Authorizer.quote(namespace) + ": no relationship found between node " + Authorizer.quote(node.get())
          + " and this object");
    }
  }
}
