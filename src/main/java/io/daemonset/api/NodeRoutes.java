package io.daemonset.api;


import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.model.Decoded;
import io.daemonset.model.Json;
import io.daemonset.model.Node;
import io.daemonset.model.NodeDefaults;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.NodeValidation;
import io.daemonset.model.ObjectMeta;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeObjects;
import io.daemonset.node.NodeState;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Node writes: create (NodeEntity.Register), update and patch of labels, annotations, taints and unschedulable
 * (NodeEntity.Update, guarded by the node's version when the request names a resourceVersion or patches the
 * latest object), the status subresource (NodeEntity.UpdateStatus) and delete (NodeEntity.Remove).
 * <p>Node agents (system:node:NAME) may only write their own Node (the authorizer checks named requests, this
 * checks the name in a create body, as upstream's NodeRestriction admission does). A POST by a node's own agent
 * for a Node that exists re-registers it (200; the labels and taints users set are kept); anyone else gets 409.
 */
final class NodeRoutes {
  private final ObjectStore store;
  private final Clock clock;
  private final ReadOnlyRoutes reads;
  private final WriteQueue patches = new WriteQueue();

  NodeRoutes(ObjectStore store, Clock clock, ReadOnlyRoutes reads) {
    this.store = store;
    this.clock = clock;
    this.reads = reads;
  }

  Route route(Call call) {
    return Writes.readOrWrite(reads, call, this::write);
  }

  private CompletionStage<HttpResponse> write(Call call, String body) {
    boolean status = call.req().subresource().equals("status");
    return switch (call.req().verb()) {
      case "create" -> create(call, body);
      case "update" -> status ? updateStatus(call, body) : update(call, body);
      case "patch" -> status ? patch(call, body, true)
          : patches.after(call.req().name(), () -> patch(call, body, false));
      case "delete" -> delete(call, body);
      default -> throw ReadOnlyRoutes.methodNotAllowed(call, call.req().verb()
          + " is not supported on resources of kind " + Authorizer.quote(call.groupResource().toString()));
    };
  }

  private CompletionStage<HttpResponse> create(Call call, String body) {
    Bodies.requireObjectMediaType(call);
    Decoded<Node> decoded = Bodies.decode(body, Node.class, call.fieldValidation(), Node.KIND, call.apiVersion());
    Node requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    Node node = NodeDefaults.node(new Node("v1", Node.KIND, meta, requested.spec(), requested.status()));
    String name = meta.name() == null ? "" : meta.name();
    call.who().nodeName().filter(own -> !own.equals(name)).ifPresent(own -> {
      throw ApiException.forbidden(call.groupResource(), name, "node " + Authorizer.quote(own)
          + " is not allowed to modify node " + Authorizer.quote(name));
    });
    Writes.requireValid(call, name, NodeValidation.validate(node));
    call.who().nodeName().flatMap(own -> NodeRestriction.onCreate(own, node)).ifPresent(why -> {
      throw ApiException.forbidden(call.groupResource(), name, why);
    });
    boolean exists = store.index().get(call.kind().resource, null, name).isPresent();
    boolean ownAgent = call.who().nodeName().map(name::equals).orElse(false);
    if (exists && !ownAgent) {
      throw ApiException.alreadyExists(call.groupResource(), name);
    }
    if (call.dryRun()) {
      // The entity's own strategy (NodeObjects), so that the dry run and the real write cannot disagree.
      Node would = exists ? NodeObjects.reRegistered((Node) store.index().get(call.kind().resource, null, name)
          .orElseThrow().object(), node) : NodeObjects.forCreate(node, name, clock.instant());
      return Writes.done(call, exists ? 200 : 201, would, decoded.warnings());
    }
    return store.node(name, r -> new NodeEntity.Register(node, call.cause(clock, exists ? "re-register" : "create"),
            r))
        .thenApply(outcome -> Writes.respond(call, exists ? 200 : 201,
            Writes.readBack(store, call, null, name, Writes.accepted(call, name, outcome)), decoded.warnings()));
  }

  private CompletionStage<HttpResponse> update(Call call, String body) {
    Bodies.requireObjectMediaType(call);
    Decoded<Node> decoded = Bodies.decode(body, Node.class, call.fieldValidation(), Node.KIND, call.apiVersion());
    Node requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    long version = version(call);
    StoredObject stored = reads.find(call);
    String rv = Writes.checkResourceVersion(call, stored, meta);
    return save(call, stored, requested.withMetadata(meta), rv.isEmpty() ? -1 : version, decoded.warnings());
  }

  /**
   * Without a resourceVersion in the body, a patch is re-applied to the latest Node after a storage conflict
   * ({@link ConflictRetry}): a user's label never fails because the node's agent reported its status meanwhile.
   */
  private CompletionStage<HttpResponse> patch(Call call, String body, boolean status) {
    PatchType type = Patching.typeWithoutApply(call);
    if (status || Patching.namesResourceVersion(type, body)) {
      return patch(call, type, body, status, Latest.nodeInView(store, call));
    }
    return ConflictRetry.untilApplied(attempt -> attempt == 0
        ? patch(call, type, body, false, Latest.nodeInView(store, call))
        : Latest.nodeInEntity(store, call).thenCompose(latest -> patch(call, type, body, false, latest)));
  }

  private CompletionStage<HttpResponse> patch(Call call, PatchType type, String body, boolean status,
                                              Latest latest) {
    StoredObject stored = latest.require(call);
    JsonNode patched = Patching.apply(call, type, Json.tree(stored.object()), body, PatchSchema.NODE);
    Decoded<Node> decoded = Bodies.decode(Json.write(patched), Node.class, call.fieldValidation(), Node.KIND,
        call.apiVersion());
    Node requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    String rv = Writes.requestedResourceVersion(meta);
    if (!rv.isEmpty() && !rv.equals(latest.resourceVersion())) {
      throw ApiException.modified(call.groupResource(), call.req().name());
    }
    if (status) {
      return saveStatus(call, requested.status(), decoded.warnings());
    }
    return save(call, stored, requested.withMetadata(meta), latest.guard(), decoded.warnings());
  }

  private long version(Call call) {
    return store.index().nodeState(call.req().name()).filter(NodeState::exists)
        .orElseThrow(() -> ApiException.notFound(call.groupResource(), call.req().name())).version();
  }

  private CompletionStage<HttpResponse> save(Call call, StoredObject stored, Node requested, long expectedVersion,
                                             List<String> warnings) {
    String name = call.req().name();
    Node existing = (Node) stored.object();
    ObjectMeta meta = requested.metadata().withCreationTimestamp(existing.metadata().creationTimestamp());
    if (meta.uid() == null || meta.uid().isEmpty()) {
      meta = meta.withUid(existing.metadata().uid());
    }
    Node node = NodeDefaults.node(new Node("v1", Node.KIND, meta, requested.spec(), existing.status()));
    Writes.requireValid(call, name, NodeValidation.validateUpdate(node, existing));
    call.who().nodeName().flatMap(own -> NodeRestriction.onUpdate(own, existing, node)).ifPresent(why -> {
      throw ApiException.forbidden(call.groupResource(), name, why);
    });
    if (call.dryRun()) {
      return Writes.done(call, 200, NodeObjects.forUpdate(existing, node), warnings);
    }
    return store.node(name, r -> new NodeEntity.Update(node, expectedVersion, call.cause(clock, call.req().verb()), r))
        .thenApply(outcome -> Writes.respond(call, 200,
            Writes.readBack(store, call, null, name, Writes.accepted(call, name, outcome)), warnings));
  }

  private CompletionStage<HttpResponse> updateStatus(Call call, String body) {
    Bodies.requireObjectMediaType(call);
    Decoded<Node> decoded = Bodies.decode(body, Node.class, call.fieldValidation(), Node.KIND, call.apiVersion());
    Node requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    StoredObject stored = reads.find(call);
    String rv = Writes.checkResourceVersion(call, stored, meta);
    return saveStatus(call, requested.status(), decoded.warnings());
  }

  private CompletionStage<HttpResponse> saveStatus(Call call, NodeStatus status, List<String> warnings) {
    String name = call.req().name();
    StoredObject stored = reads.find(call);
    Node existing = (Node) stored.object();
    Node node = existing.withStatus(status);
    Writes.requireValid(call, name, NodeValidation.validateUpdate(node, existing));
    if (call.dryRun()) {
      return Writes.done(call, 200, node, warnings);
    }
    return store.node(name, r -> new NodeEntity.UpdateStatus(status, call.cause(clock, "status " + call.req().verb()),
            r))
        .thenApply(outcome -> {
          Node answered = Writes.accepted(call, name, outcome);
          // A heartbeat-only report persists nothing: the answer carries it, the view does not.
          Object view = Writes.readBack(store, call, null, name, answered);
          return Writes.respond(call, 200, view instanceof Node n ? n.withStatus(answered.status()) : answered, warnings);
        });
  }

  private CompletionStage<HttpResponse> delete(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    StoredObject stored = reads.find(call);
    Node node = (Node) stored.object();
    String name = call.req().name();
    options.checkPreconditions(call.groupResource(), name, node.metadata().uid(),
        String.valueOf(stored.resourceVersion()));
    if (options.dryRun()) {
      return CompletableFuture.completedFuture(Responses.json(200, Writes.deleted(call, name, node.metadata().uid())));
    }
    return store.node(name, r -> new NodeEntity.Remove(call.cause(clock, "delete"), r))
        .thenApply(outcome -> {
          Writes.accepted(call, name, outcome);
          return Responses.json(200, Writes.deleted(call, name, node.metadata().uid()));
        });
  }
}
