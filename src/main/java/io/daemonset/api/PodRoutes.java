package io.daemonset.api;


import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.model.Decoded;
import io.daemonset.model.FieldError;
import io.daemonset.model.FieldPath;
import io.daemonset.model.MetaValidation;
import io.daemonset.model.Json;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Pods: reads for everyone (agents watch {@code spec.nodeName=<node>}); delete (graceful, through the node that
 * holds the pod: NodeEntity.DeletePod with the grace period of DeleteOptions or the query); pods/status writes
 * (what agents report: NodeEntity.UpdatePodStatus); labels and annotations (NodeEntity.UpdatePodMetadata). This
 * control plane runs daemon pods only: creating a pod is refused with 405, changing its spec with 422. Node agents may write the status of, and delete, only the
 * pods bound to their node (upstream's NodeRestriction admission). pods/log is {@link PodLogs}'s.
 */
final class PodRoutes {
  private final ObjectStore store;
  private final Clock clock;
  private final ReadOnlyRoutes reads;
  private final PodLogs logs;
  private final PodExec exec;

  PodRoutes(ObjectStore store, Clock clock, ReadOnlyRoutes reads) {
    this.store = store;
    this.clock = clock;
    this.reads = reads;
    this.logs = new PodLogs(store);
    this.exec = new PodExec(store, clock);
  }

  Route route(Call call) {
    if (call.req().subresource().equals("log")) {
      return logs.route(call, (Pod) reads.find(call).object());
    }
    if (call.req().subresource().equals("exec")) {
      return exec.route(call, (Pod) reads.find(call).object());
    }
    return reads.read(call).orElseGet(() -> Bodies.text(call.http(), body -> write(call, body)));
  }

  private CompletionStage<HttpResponse> write(Call call, String body) {
    String verb = call.req().verb();
    boolean status = call.req().subresource().equals("status");
    if (status && (verb.equals("update") || verb.equals("patch"))) {
      return updateStatus(call, body);
    }
    return switch (verb) {
      case "delete" -> delete(call, body);
      case "deletecollection" -> deleteCollection(call, body);
      case "update", "patch" -> updateMetadata(call, body);
      case "create" -> throw ReadOnlyRoutes.methodNotAllowed(call, "pods cannot be created directly: this control "
          + "plane runs DaemonSet pods only; create or change a DaemonSet instead");
      default -> throw ReadOnlyRoutes.methodNotAllowed(call, "pods are defined by their DaemonSet: " + verb
          + " is supported on pods/status (node agents) only; change the DaemonSet instead");
    };
  }

  /** The pod a PUT sends, or the stored pod with a PATCH (JSON, merge, strategic) applied, decoded and validated. */
  private static Decoded<Pod> requested(Call call, Pod pod, String body) {
    if (call.req().verb().equals("update")) {
      Bodies.requireObjectMediaType(call);
      return Bodies.decode(body, Pod.class, call.fieldValidation(), Pod.KIND, call.apiVersion());
    }
    PatchType type = Patching.typeWithoutApply(call);
    String patched = Json.write(Patching.apply(call, type, Json.tree(pod), body, PatchSchema.POD));
    return Bodies.decode(patched, Pod.class, call.fieldValidation(), Pod.KIND, call.apiVersion());
  }

  private CompletionStage<HttpResponse> updateStatus(Call call, String body) {
    StoredObject stored = reads.find(call);
    Pod pod = (Pod) stored.object();
    requireBoundToCaller(call, pod, "update pod status for pods");
    Decoded<Pod> decoded = requested(call, pod, body);
    Pod requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    Writes.checkResourceVersion(call, stored, meta);
    PodStatus status = requested.status();
    if (call.dryRun()) {
      return CompletableFuture.completedFuture(respond(call, pod.withStatus(status), decoded.warnings()));
    }
    String key = NodeState.podKey(pod);
    return store.pod(nodeOf(pod), r -> new NodeEntity.UpdatePodStatus(key, status,
            call.cause(clock, "status " + call.req().verb()), r))
        .thenApply(outcome -> respond(call, Writes.readBack(store, call, call.namespace(), call.req().name(),
            Writes.accepted(call, call.req().name(), outcome)), decoded.warnings()));
  }

  /**
   * PUT or PATCH (JSON, merge, strategic) of a pod: its labels and annotations change (kubectl label / annotate),
   * through the node that holds it; a change of its spec or owner references is refused (422, the field at fault),
   * status in the body is ignored (pods/status is the agents'). Labels that stop matching the owner's selector make
   * the owner release the pod (upstream's ClaimPods) and create another.
   */
  private CompletionStage<HttpResponse> updateMetadata(Call call, String body) {
    StoredObject stored = reads.find(call);
    Pod pod = (Pod) stored.object();
    requireBoundToCaller(call, pod, "update pods");
    Decoded<Pod> decoded = requested(call, pod, body);
    Pod requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    Writes.checkResourceVersion(call, stored, meta);
    List<FieldError> errors = new ArrayList<>();
    if (!Json.tree(pod.spec()).equals(Json.tree(requested.spec()))) {
      errors.add(FieldError.forbidden(FieldPath.of("spec"), "pod updates may not change fields other than "
          + "metadata.labels and metadata.annotations here: the pod's DaemonSet defines its spec"));
    }
    if (!Json.tree(pod.metadata().ownerReferencesOrEmpty()).equals(Json.tree(meta.ownerReferencesOrEmpty()))) {
      errors.add(FieldError.forbidden(FieldPath.of("metadata", "ownerReferences"), "owner references are the "
          + "controller's: relabel the pod to release it from its DaemonSet"));
    }
    errors.addAll(MetaValidation.validateLabels(meta.labels(), FieldPath.of("metadata", "labels")));
    errors.addAll(MetaValidation.validateAnnotations(meta.annotations(), FieldPath.of("metadata", "annotations")));
    Writes.requireValid(call, pod.metadata().name(), errors);
    if (call.dryRun()) {
      return CompletableFuture.completedFuture(respond(call, pod.withMetadata(pod.metadata().withLabels(meta.labels())
          .withAnnotations(meta.annotations())), decoded.warnings()));
    }
    String key = NodeState.podKey(pod);
    return store.pod(nodeOf(pod), r -> new NodeEntity.UpdatePodMetadata(key, pod.metadata().uid(), meta.labels(),
            meta.annotations(), call.cause(clock, call.req().verb()), r))
        .thenApply(outcome -> respond(call, Writes.readBack(store, call, call.namespace(), call.req().name(),
            Writes.accepted(call, call.req().name(), outcome)), decoded.warnings()));
  }

  private CompletionStage<HttpResponse> delete(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    StoredObject stored = reads.find(call);
    Pod pod = (Pod) stored.object();
    requireBoundToCaller(call, pod, "delete pods");
    options.checkPreconditions(call.groupResource(), call.req().name(), pod.metadata().uid(),
        String.valueOf(stored.resourceVersion()));
    if (options.dryRun()) {
      return CompletableFuture.completedFuture(respond(call, pod, List.of()));
    }
    return deleteOne(call, pod, options.gracePeriodSeconds());
  }

  /** Answers with the pod as it now is (terminating), or as it last was when it is gone. */
  private CompletionStage<HttpResponse> deleteOne(Call call, Pod pod, Long gracePeriodSeconds) {
    String key = NodeState.podKey(pod);
    String name = pod.metadata().name();
    return store.pod(nodeOf(pod), r -> new NodeEntity.DeletePod(key, gracePeriodSeconds,
            call.cause(clock, "delete" + (gracePeriodSeconds == null ? "" : " (grace " + gracePeriodSeconds + "s)")),
            r))
        .thenApply(outcome -> {
          Pod answered = Writes.accepted(call, name, outcome);
          Object now = store.index().get(call.kind().resource, pod.metadata().namespace(), name)
              .map(StoredObject::object).orElse(answered != null ? answered : pod);
          return respond(call, now, List.of());
        });
  }

  private CompletionStage<HttpResponse> deleteCollection(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    ListQuery.Page page = ListQuery.parse(call).page(call.kind(), store.index().list(call.kind().resource),
        store.view().resourceVersion());
    List<CompletableFuture<HttpResponse>> deletions = new ArrayList<>();
    for (Object o : page.items()) {
      Pod pod = (Pod) o;
      requireBoundToCaller(call, pod, "delete pods");
      if (!options.dryRun()) {
        deletions.add(deleteOne(call, pod, options.gracePeriodSeconds()).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> Render.list(call, page, clock.instant()));
  }

  /** A node agent acts on the pods of its own node only. */
  private static void requireBoundToCaller(Call call, Pod pod, String action) {
    call.who().nodeName().filter(node -> !node.equals(nodeOf(pod))).ifPresent(node -> {
      throw ApiException.forbidden(call.groupResource(), pod.metadata().name(), "node " + Authorizer.quote(node)
          + " can only " + action + " with spec.nodeName set to itself");
    });
  }

  private static String nodeOf(Pod pod) {
    String node = io.daemonset.node.Admission.targetNode(pod);
    return node == null ? "" : node;
  }

  /** The pod as the view holds it (its JSON shared with the watch events of the same change), or as answered. */
  private HttpResponse respond(Call call, Object pod, List<String> warnings) {
    return Render.withWarnings(HttpResponse.create().withEntity(Responses.JSON, EncodedObjects.shared().json(pod)),
        warnings);
  }
}
