package io.daemonset.api;

import io.daemonset.model.Namespace;
import io.daemonset.model.Status;
import io.daemonset.view.ObjectIndex;
import java.util.List;

/**
 * Upstream's NamespaceLifecycle admission, for writes that create a namespaced object (POST, or a server-side apply
 * of an object that does not exist): the namespace must exist (404 {@code namespaces "x" not found}) and must not be
 * terminating (403 with reason NamespaceTerminating). Checked against this JVM's view, as upstream checks its
 * informer cache.
 */
final class NamespaceAdmission {
  /**
   * Upstream's immortal namespaces: they exist from the first start and can never be deleted, so a write into one is
   * admitted even in the moment after start-up before the namespace controller has created (or this JVM's view has
   * seen) it.
   */
  static final List<String> IMMORTAL = List.of("default", "kube-system");

  private NamespaceAdmission() {}

  static void check(ObjectIndex index, Call call) {
    if (!call.kind().namespaced || !creates(index, call)) {
      return;
    }
    String namespace = call.req().namespace();
    if (IMMORTAL.contains(namespace) && index.get(ObjectIndex.NAMESPACES, null, namespace).isEmpty()) {
      return;
    }
    Namespace ns = index.get(ObjectIndex.NAMESPACES, null, namespace).map(o -> (Namespace) o.object())
        .orElseThrow(() -> ApiException.notFound(new GroupResource("", "namespaces"), namespace));
    if (ns.terminating()) {
      String why = "unable to create new content in namespace " + namespace + " because it is being terminated";
      GroupResource gr = call.groupResource();
      String name = call.req().name();
      String message = gr + (name.isEmpty() ? "" : " " + Authorizer.quote(name)) + " is forbidden: " + why;
      throw new ApiException(Status.failure(403, "Forbidden", message, new Status.StatusDetails(
          name.isEmpty() ? null : name, gr.group().isEmpty() ? null : gr.group(), gr.resource(), null,
          List.of(new Status.StatusCause("NamespaceTerminating", "namespace " + namespace
              + " is being terminated", "metadata.namespace")), null)));
    }
  }

  private static boolean creates(ObjectIndex index, Call call) {
    String verb = call.req().verb();
    if (verb.equals("create")) {
      return true;
    }
    return verb.equals("patch") && call.req().subresource().isEmpty()
        && index.get(call.kind().resource, call.req().namespace(), call.req().name()).isEmpty();
  }
}
