package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.entity;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.patch.ApplyResult;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.model.Decoded;
import io.daemonset.model.Json;
import io.daemonset.model.Namespace;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PlainKind;
import io.daemonset.model.PlainObject;
import io.daemonset.model.PlainObjectRules;
import io.daemonset.model.RawObject;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.objects.ObjectState;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Writes of the plain objects (namespaces, configmaps, secrets, serviceaccounts), one route for every kind, through
 * the generic {@link ObjectEntity}: create, update, patch (JSON, merge, strategic merge, server-side apply), delete,
 * deletecollection; namespaces/status and namespaces/finalize. Every write: decode (fieldValidation) → identity
 * checks → defaulting → validation → managedFields → the entity (or, with dryRun=All, the would-be object).
 * Updates are guarded by the entity's version when the request names a resourceVersion or patches the latest
 * object. Node agents read only the ConfigMaps and Secrets their pods reference ({@link NodeReferences}).
 */
final class PlainObjectRoutes {
  private final ObjectStore store;
  private final Clock clock;
  private final ReadOnlyRoutes reads;

  PlainObjectRoutes(ObjectStore store, Clock clock, ReadOnlyRoutes reads) {
    this.store = store;
    this.clock = clock;
    this.reads = reads;
  }

  Route route(Call call) {
    NodeReferences.check(store.index(), call);
    return reads.read(call).orElseGet(() -> entity(Unmarshaller.entityToByteString(), bytes -> completeWithFuture(
        write(call, text(call, bytes.toArray())))));
  }

  /** The body as text: JSON or YAML as sent, a protobuf object (kubectl's typed clients) turned into JSON. */
  private static String text(Call call, byte[] body) {
    if (Bodies.mediaType(call).equals(ProtobufBodies.MEDIA_TYPE)) {
      return Json.write(ProtobufBodies.toJson(body, kind(call).kind));
    }
    return new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void requireObjectMediaType(Call call) {
    if (!Bodies.mediaType(call).equals(ProtobufBodies.MEDIA_TYPE)) {
      Bodies.requireObjectMediaType(call);
    }
  }

  private static PlainKind kind(Call call) {
    return PlainKind.of(call.kind().resource).orElseThrow();
  }

  private CompletionStage<HttpResponse> write(Call call, String body) {
    String sub = call.req().subresource();
    return switch (call.req().verb()) {
      case "create" -> create(call, body);
      case "update" -> sub.isEmpty() ? update(call, body) : subresource(call, body);
      case "patch" -> patch(call, body, 1);
      case "delete" -> delete(call, body);
      case "deletecollection" -> deleteCollection(call, body);
      default -> throw ReadOnlyRoutes.methodNotAllowed(call, call.req().verb()
          + " is not supported on resources of kind " + Authorizer.quote(call.groupResource().toString()));
    };
  }

  private Decoded<PlainObject> decode(Call call, String body) {
    PlainKind kind = kind(call);
    @SuppressWarnings("unchecked")
    Decoded<PlainObject> decoded = (Decoded<PlainObject>) Bodies.decode(body, kind.type, call.fieldValidation(),
        kind.kind, call.apiVersion());
    return decoded;
  }

  private PlainObject admitted(Call call, PlainObject requested) {
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    if (!call.kind().namespaced) {
      meta = meta.withNamespace(null);
    }
    return PlainObjectRules.defaults(requested.withMetadata(meta));
  }

  private CompletionStage<HttpResponse> create(Call call, String body) {
    requireObjectMediaType(call);
    Decoded<PlainObject> decoded = decode(call, body);
    PlainObject object = admitted(call, decoded.value());
    object = object.withMetadata(object.metadata().withManagedFields(Patching.managedFieldsAfter(call, null,
        Json.tree(object), PatchSchema.ATOMIC, clock.instant())));
    return createAdmitted(call, object, decoded.warnings());
  }

  private CompletionStage<HttpResponse> createAdmitted(Call call, PlainObject object, List<String> warnings) {
    String name = object.metadata().name() == null ? "" : object.metadata().name();
    Writes.requireValid(call, name, PlainObjectRules.validate(object));
    if (call.dryRun()) {
      if (store.index().get(call.kind().resource, call.namespace(), name).isPresent()) {
        throw ApiException.alreadyExists(call.groupResource(), name);
      }
      return done(call, 201, object.withMetadata(object.metadata().withUid(UUID.randomUUID().toString())
          .withCreationTimestamp(clock.instant())), warnings);
    }
    String resource = call.kind().resource;
    return store.plainObject(resource, call.namespace(), name,
            r -> new ObjectEntity.Create(resource, Json.tree(object), call.cause(clock, "create"), r))
        .thenApply(outcome -> respond(call, 201, readBack(call, name, Writes.accepted(call, name, outcome)),
            warnings));
  }

  private CompletionStage<HttpResponse> update(Call call, String body) {
    requireObjectMediaType(call);
    Decoded<PlainObject> decoded = decode(call, body);
    long version = version(call);
    StoredObject stored = reads.find(call);
    PlainObject requested = admitted(call, decoded.value());
    String rv = checkResourceVersion(call, stored, requested.metadata());
    return save(call, stored, requested, rv.isEmpty() ? -1 : version, decoded.warnings(), true);
  }

  private CompletionStage<HttpResponse> patch(Call call, String body, int attempt) {
    PatchType type = Patching.type(call);
    Patching.checkOptions(call, type);
    if (type == PatchType.APPLY_PATCH) {
      return retried(call, body, attempt, serverSideApply(call, body));
    }
    long version = version(call);
    StoredObject stored = reads.find(call);
    JsonNode patched = Patching.apply(call, type, Json.tree(stored.object()), body, PatchSchema.ATOMIC);
    Decoded<PlainObject> decoded = decode(call, Json.write(patched));
    PlainObject requested = admitted(call, decoded.value());
    checkResourceVersion(call, stored, requested.metadata());
    if (!call.req().subresource().isEmpty()) {
      return retried(call, body, attempt, saveSubresource(call, stored, requested, version, decoded.warnings()));
    }
    return retried(call, body, attempt, save(call, stored, requested, version, decoded.warnings(), true));
  }

  private CompletionStage<HttpResponse> retried(Call call, String body, int attempt,
                                                CompletionStage<HttpResponse> write) {
    return write.exceptionallyCompose(failure -> {
      ApiException e = ErrorHandling.toApiException(failure, Long.MAX_VALUE);
      boolean engineConflict = e.status().details() != null && e.status().details().causes() != null
          && e.status().details().causes().stream().anyMatch(c -> "FieldManagerConflict".equals(c.reason()));
      if (e.code() == 409 && !engineConflict && attempt < Writes.PATCH_ATTEMPTS) {
        return patch(call, body, attempt + 1);
      }
      return CompletableFuture.failedFuture(e);
    });
  }

  private CompletionStage<HttpResponse> serverSideApply(Call call, String body) {
    PlainKind kind = kind(call);
    var existing = store.index().get(call.kind().resource, call.namespace(), call.req().name());
    long version = existing.isPresent() ? version(call) : -1;
    JsonNode live = existing.map(s -> Json.tree(s.object())).orElse(null);
    ApplyResult.Applied applied = (ApplyResult.Applied) Patching.serverSideApply(call, live, body,
        PatchSchema.ATOMIC, tree -> Json.tree(PlainObjectRules.defaults(Json.convert(tree, kind.type))),
        clock.instant());
    Decoded<PlainObject> decoded = decode(call, Json.write(applied.object()));
    PlainObject requested = admitted(call, decoded.value());
    if (existing.isEmpty()) {
      return createAdmitted(call, requested, decoded.warnings());
    }
    if (!applied.changed()) {
      return done(call, 200, existing.get().object(), decoded.warnings());
    }
    return save(call, existing.get(), requested, version, decoded.warnings(), false);
  }

  private CompletionStage<HttpResponse> save(Call call, StoredObject stored, PlainObject requested,
                                             long expectedVersion, List<String> warnings, boolean trackFields) {
    String name = call.req().name();
    PlainObject existing = (PlainObject) stored.object();
    PlainObject object = keepServerFields(requested, existing);
    Writes.requireValid(call, name, PlainObjectRules.validateUpdate(object, existing));
    if (trackFields) {
      object = object.withMetadata(object.metadata().withManagedFields(Patching.managedFieldsAfter(call,
          Json.tree(existing), Json.tree(object), PatchSchema.ATOMIC, clock.instant())));
    }
    return send(call, name, object, expectedVersion, warnings);
  }

  private CompletionStage<HttpResponse> send(Call call, String name, PlainObject object, long expectedVersion,
                                             List<String> warnings) {
    if (call.dryRun()) {
      return done(call, 200, object, warnings);
    }
    String resource = call.kind().resource;
    return store.plainObject(resource, call.namespace(), name, r -> new ObjectEntity.Update(Json.tree(object),
            expectedVersion, call.cause(clock, call.req().verb()), r))
        .thenApply(outcome -> respond(call, 200, readBack(call, name, Writes.accepted(call, name, outcome)),
            warnings));
  }

  /** uid, creationTimestamp, deletionTimestamp and (for a Namespace, outside its subresources) status are the server's. */
  private static PlainObject keepServerFields(PlainObject requested, PlainObject existing) {
    ObjectMeta was = existing.metadata();
    ObjectMeta meta = requested.metadata().withUid(was.uid()).withCreationTimestamp(was.creationTimestamp())
        .withDeletionTimestamp(was.deletionTimestamp());
    if (requested instanceof Namespace ns && existing instanceof Namespace old) {
      return new Namespace(ns.apiVersion(), ns.kind(), meta, ns.spec(), old.status());
    }
    return requested.withMetadata(meta);
  }

  /** PUT namespaces/x/status (the status alone) and namespaces/x/finalize (spec.finalizers alone). */
  private CompletionStage<HttpResponse> subresource(Call call, String body) {
    requireObjectMediaType(call);
    Decoded<PlainObject> decoded = decode(call, body);
    long version = version(call);
    StoredObject stored = reads.find(call);
    PlainObject requested = admitted(call, decoded.value());
    checkResourceVersion(call, stored, requested.metadata());
    return saveSubresource(call, stored, requested, version, decoded.warnings());
  }

  private CompletionStage<HttpResponse> saveSubresource(Call call, StoredObject stored, PlainObject requested,
                                                        long version, List<String> warnings) {
    if (!(stored.object() instanceof Namespace old) || !(requested instanceof Namespace ns)) {
      throw ReadOnlyRoutes.methodNotAllowed(call, "no subresource " + call.req().subresource() + " here");
    }
    Namespace object = call.req().subresource().equals("finalize")
        ? new Namespace(old.apiVersion(), old.kind(), old.metadata(), ns.spec(), old.status())
        : new Namespace(old.apiVersion(), old.kind(), old.metadata(), old.spec(), ns.status());
    Writes.requireValid(call, call.req().name(), PlainObjectRules.validateUpdate(object, old));
    return send(call, call.req().name(), object, version, warnings);
  }

  private CompletionStage<HttpResponse> delete(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    StoredObject stored = reads.find(call);
    PlainObject object = (PlainObject) stored.object();
    String name = call.req().name();
    options.checkPreconditions(call.groupResource(), name, object.metadata().uid(),
        String.valueOf(stored.resourceVersion()));
    if (options.dryRun()) {
      return CompletableFuture.completedFuture(Responses.json(200, Writes.deleted(call, name,
          object.metadata().uid())));
    }
    return deleteOne(call, name, object);
  }

  private CompletionStage<HttpResponse> deleteOne(Call call, String name, PlainObject object) {
    String ns = object.metadata().namespace();
    String resource = call.kind().resource;
    return store.plainObject(resource, ns, name, r -> new ObjectEntity.Delete(-1, call.cause(clock, "delete"), r))
        .thenApply(outcome -> {
          Writes.accepted(call, name, outcome);
          var still = store.index().get(resource, ns, name);
          if (still.isPresent()) { // a Namespace stays, Terminating, until its contents are gone
            return Render.object(call, 200, still.get().object(), clock.instant(), List.of());
          }
          return Responses.json(200, Writes.deleted(call, name, object.metadata().uid()));
        });
  }

  private CompletionStage<HttpResponse> deleteCollection(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    ListQuery.Page page = ListQuery.parse(call).page(call.kind(), store.index().list(call.kind().resource),
        store.view().resourceVersion());
    List<CompletableFuture<HttpResponse>> deletions = new ArrayList<>();
    if (!options.dryRun()) {
      for (Object o : page.items()) {
        PlainObject object = (PlainObject) o;
        deletions.add(deleteOne(call, object.metadata().name(), object).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> Render.list(call, page, clock.instant()));
  }

  private long version(Call call) {
    return store.index().plainState(call.kind().resource, call.namespace(), call.req().name())
        .filter(ObjectState::exists)
        .orElseThrow(() -> ApiException.notFound(call.groupResource(), call.req().name())).version();
  }

  private static String checkResourceVersion(Call call, StoredObject stored, ObjectMeta meta) {
    String rv = Writes.requestedResourceVersion(meta);
    if (!rv.isEmpty() && !rv.equals(String.valueOf(stored.resourceVersion()))) {
      throw ApiException.modified(call.groupResource(), call.req().name());
    }
    return rv;
  }

  private Object readBack(Call call, String name, RawObject answered) {
    PlainObject typed = answered == null || answered.object() == null ? null : answered.as(kind(call).type);
    return Writes.readBack(store, call, call.namespace(), name, typed);
  }

  private CompletionStage<HttpResponse> done(Call call, int code, Object object, List<String> warnings) {
    return CompletableFuture.completedFuture(respond(call, code, object, warnings));
  }

  private HttpResponse respond(Call call, int code, Object object, List<String> warnings) {
    return Render.withWarnings(Responses.json(code, Render.forClient(object, call)), warnings);
  }
}
