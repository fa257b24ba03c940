package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.WriteVerbs.Requested;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
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
import java.util.Optional;
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
 * The verb dispatch and the steps every kind shares are {@link WriteVerbs}'; this is what is the Node's.
 */
final class NodeRoutes implements KindWrites<Node> {
  private final ObjectStore store;
  private final Clock clock;
  private final ReadOnlyRoutes reads;
  private final WriteVerbs<Node> verbs;

  NodeRoutes(ObjectStore store, Clock clock, ReadOnlyRoutes reads) {
    this.store = store;
    this.clock = clock;
    this.reads = reads;
    this.verbs = new WriteVerbs<>(this, reads);
  }

  Route route(Call call) {
    return verbs.route(call);
  }

  @Override
  public Class<Node> type() {
    return Node.class;
  }

  @Override
  public String kind() {
    return Node.KIND;
  }

  @Override
  public Node identified(Call call, Node requested) {
    return requested.withMetadata(Writes.checkIdentity(call, requested.apiVersion(), requested.kind(),
        requested.metadata()));
  }

  @Override
  public ApiException notSupported(Call call) {
    return ReadOnlyRoutes.methodNotAllowed(call, call.req().verb() + " is not supported on resources of kind "
        + Authorizer.quote(call.groupResource().toString()));
  }

  /** PUT and PATCH of nodes/x/status; a status patch reads the view once: neither queued nor retried on conflict. */
  @Override
  public Optional<CompletionStage<HttpResponse>> subresource(Call call, String body) {
    if (!call.req().subresource().equals("status")) {
      return Optional.empty();
    }
    return switch (call.req().verb()) {
      case "update" -> Optional.of(updateStatus(call, body));
      case "patch" -> Optional.of(verbs.patch(call, Patching.typeWithoutApply(call), body, inView(call),
          (c, stored, node, guard, warnings, trackFields) -> saveStatus(c, node.status(), warnings)));
      default -> Optional.empty();
    };
  }

  @Override
  public CompletionStage<HttpResponse> create(Call call, Node requested, List<String> warnings) {
    ObjectMeta meta = requested.metadata();
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
      return Writes.done(call, exists ? 200 : 201, would, warnings);
    }
    return store.node(name, r -> new NodeEntity.Register(node, call.cause(clock, exists ? "re-register" : "create"),
            r))
        .thenApply(outcome -> Writes.respond(call, exists ? 200 : 201,
            Writes.readBack(store, call, null, name, Writes.accepted(call, name, outcome)), warnings));
  }

  /** A PUT without a resourceVersion is unconditional; a patch is guarded by the version it read. */
  @Override
  public long guard(Call call) {
    return version(call);
  }

  @Override
  public PatchType patchType(Call call) {
    return Patching.typeWithoutApply(call);
  }

  /**
   * Without a resourceVersion in the body, a patch is re-applied to the latest Node after a storage conflict
   * ({@link ConflictRetry}): a user's label never fails because the node's agent reported its status meanwhile.
   */
  @Override
  public Latest inView(Call call) {
    return Latest.nodeInView(store, call);
  }

  @Override
  public CompletionStage<Latest> inEntity(Call call) {
    return Latest.nodeInEntity(store, call);
  }

  @Override
  public JsonNode patchable(Call call, Object stored) {
    return Json.tree(stored);
  }

  @Override
  public PatchSchema patchSchema() {
    return PatchSchema.NODE;
  }

  private long version(Call call) {
    return store.index().nodeState(call.req().name()).filter(NodeState::exists)
        .orElseThrow(() -> ApiException.notFound(call.groupResource(), call.req().name())).version();
  }

  @Override
  public CompletionStage<HttpResponse> save(Call call, StoredObject stored, Node requested, long expectedVersion,
                                            List<String> warnings, boolean trackFields) {
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
    Requested<Node> requested = verbs.requested(call, body);
    StoredObject stored = reads.find(call);
    Writes.checkResourceVersion(call, stored, requested.object().metadata());
    return saveStatus(call, requested.object().status(), requested.warnings());
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

  @Override
  public CompletionStage<HttpResponse> delete(Call call, Bodies.DeleteOptions options, StoredObject stored) {
    Node node = (Node) stored.object();
    String name = call.req().name();
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
