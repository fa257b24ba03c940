package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.WriteVerbs.Requested;
import io.daemonset.api.patch.ApplyResult;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.DaemonSetValidation;
import io.daemonset.model.FieldError;
import io.daemonset.model.Json;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * DaemonSet writes, through apps/v1 and extensions/v1beta1: create, update, patch (all four types), delete (with
 * the version's default propagation), deletecollection; the status subresource keeps what clients write there, as
 * upstream does, until the controller rewrites its own parts. Every write: decode (fieldValidation) → identity checks → defaulting in the request's
 * version → the stored apps/v1 form → validation → the entity (or, with dryRun=All, the would-be object).
 * The verb dispatch and the steps every kind shares are {@link WriteVerbs}'; this is what is the DaemonSet's.
 */
final class DaemonSetRoutes implements KindWrites<DaemonSet> {
  private final ObjectStore store;
  private final Clock clock;
  private final ReadOnlyRoutes reads;
  private final WriteVerbs<DaemonSet> verbs;

  DaemonSetRoutes(ObjectStore store, Clock clock, ReadOnlyRoutes reads) {
    this.store = store;
    this.clock = clock;
    this.reads = reads;
    this.verbs = new WriteVerbs<>(this, reads);
  }

  Route route(Call call) {
    return verbs.route(call);
  }

  @Override
  public Class<DaemonSet> type() {
    return DaemonSet.class;
  }

  @Override
  public String kind() {
    return DaemonSet.KIND;
  }

  @Override
  public DaemonSet identified(Call call, DaemonSet requested) {
    return requested.withMetadata(Writes.checkIdentity(call, requested.apiVersion(), requested.kind(),
        requested.metadata()));
  }

  @Override
  public ApiException notSupported(Call call) {
    return ReadOnlyRoutes.methodNotAllowed(call, call.req().verb() + " is not supported on daemonsets");
  }

  /** status takes the client's status (see {@link #statusWrite}); plan answers what a change would do. */
  @Override
  public Optional<CompletionStage<HttpResponse>> subresource(Call call, String body) {
    return switch (call.req().subresource()) {
      case "status" -> Optional.of(statusWrite(call, body));
      case "plan" -> Optional.of(CompletableFuture.completedFuture(DaemonSetPlans.plan(store, clock, call, body)));
      default -> Optional.empty();
    };
  }

  @Override
  public CompletionStage<HttpResponse> create(Call call, DaemonSet requested, List<String> warnings) {
    DaemonSet admitted = DaemonSets.admit(requested, call.apiVersion());
    JsonNode after = Json.tree(DaemonSets.toVersion(admitted, call.apiVersion()));
    admitted = admitted.withMetadata(admitted.metadata().withManagedFields(
        Patching.managedFieldsAfter(call, null, after, PatchSchema.DAEMONSET, clock.instant())));
    return createAdmitted(call, admitted, warnings);
  }

  /** POST, or a server-side apply of an object that does not exist: validate, then Create (or dryRun). */
  private CompletionStage<HttpResponse> createAdmitted(Call call, DaemonSet admitted, List<String> warnings) {
    String name = admitted.metadata().name() == null ? "" : admitted.metadata().name();
    Writes.requireValid(call, name, DaemonSetValidation.validate(admitted));
    if (call.dryRun()) {
      if (store.index().get(call.kind().resource, call.namespace(), name).isPresent()) {
        throw ApiException.alreadyExists(call.groupResource(), name);
      }
      return Writes.done(call, 201, DaemonSets.wouldCreate(admitted, clock.instant()), warnings);
    }
    return store.daemonSet(call.namespace(), name,
            r -> new DaemonSetEntity.Create(admitted, call.cause(clock, "create"), r))
        .thenApply(outcome -> {
          DaemonSet created = Writes.accepted(call, name, outcome);
          return Writes.respond(call, 201, Writes.readBack(store, call, call.namespace(), name, created), warnings);
        });
  }

  /** PUT without a resourceVersion is unconditional (upstream AllowUnconditionalUpdate for DaemonSets). */
  @Override
  public long guard(Call call) {
    return specVersion(call);
  }

  @Override
  public PatchType patchType(Call call) {
    PatchType type = Patching.type(call);
    Patching.checkOptions(call, type);
    return type;
  }

  @Override
  public Latest inView(Call call) {
    return Latest.daemonSetInView(store, call);
  }

  @Override
  public CompletionStage<Latest> inEntity(Call call) {
    return Latest.daemonSetInEntity(store, call);
  }

  @Override
  public JsonNode patchable(Call call, Object stored) {
    return Json.tree(DaemonSets.toVersion((DaemonSet) stored, call.apiVersion()));
  }

  @Override
  public PatchSchema patchSchema() {
    return PatchSchema.DAEMONSET;
  }

  /** application/apply-patch+yaml: server-side apply, creating the DaemonSet when it does not exist. */
  @Override
  public CompletionStage<HttpResponse> serverSideApply(Call call, String body, Latest latest) {
    StoredObject stored = latest.stored();
    JsonNode live = stored == null ? null
        : Json.tree(DaemonSets.toVersion((DaemonSet) stored.object(), call.apiVersion()));
    ApplyResult.Applied applied = (ApplyResult.Applied) Patching.serverSideApply(call, live, body,
        PatchSchema.DAEMONSET, tree -> defaulted(tree, call.apiVersion()), clock.instant());
    Requested<DaemonSet> decoded = verbs.decoded(call, Json.write(applied.object()));
    DaemonSet requested = decoded.object();
    if (stored == null) {
      return createAdmitted(call, DaemonSets.admit(requested, call.apiVersion()), decoded.warnings());
    }
    String rv = Writes.requestedResourceVersion(requested.metadata());
    if (!rv.isEmpty() && !latest.resourceVersion().isEmpty() && !rv.equals(latest.resourceVersion())) {
      throw ApiException.modified(call.groupResource(), call.req().name());
    }
    if (!applied.changed()) {
      return Writes.done(call, 200, Writes.readBack(store, call, call.namespace(), call.req().name(), stored.object()),
          decoded.warnings());
    }
    return save(call, stored, requested, latest.guard(), decoded.warnings(), false);
  }

  private static JsonNode defaulted(JsonNode tree, String apiVersion) {
    DaemonSet ds = Json.convert(tree, DaemonSet.class);
    DaemonSet out = io.daemonset.model.DaemonSetDefaults.daemonSet(ds.withApiVersion(apiVersion));
    return Json.tree(out);
  }

  /** The entity's specVersion, read before the object it guards (a newer object then fails the guard: 409). */
  private long specVersion(Call call) {
    return store.index().daemonSetState(call.namespace(), call.req().name()).filter(DaemonSetState::exists)
        .orElseThrow(() -> ApiException.notFound(call.groupResource(), call.req().name())).specVersion();
  }

  /**
   * Update and patch, after the resourceVersion precondition: defaulting, conversion, update validation, managedFields
   * (unless a server-side apply already decided them), then the entity's Update guarded by expectedSpecVersion
   * (-1: unconditional).
   */
  @Override
  public CompletionStage<HttpResponse> save(Call call, StoredObject stored, DaemonSet requested,
                                             long expectedSpecVersion, List<String> warnings, boolean trackFields) {
    String ns = call.namespace();
    String name = call.req().name();
    DaemonSet existing = (DaemonSet) stored.object();
    DaemonSet admitted = DaemonSets.keepServerFields(DaemonSets.admit(requested, call.apiVersion()), existing);
    List<FieldError> errors = DaemonSetValidation.validateUpdate(admitted, existing, call.apiVersion());
    Writes.requireValid(call, name, errors);
    if (trackFields) {
      JsonNode before = Json.tree(DaemonSets.toVersion(existing, call.apiVersion()));
      JsonNode after = Json.tree(DaemonSets.toVersion(admitted.withStatus(existing.status()), call.apiVersion()));
      admitted = admitted.withMetadata(admitted.metadata().withManagedFields(
          Patching.managedFieldsAfter(call, before, after, PatchSchema.DAEMONSET, clock.instant())));
    }
    if (call.dryRun()) {
      return Writes.done(call, 200, DaemonSets.wouldUpdate(existing, admitted), warnings);
    }
    DaemonSet update = admitted;
    return store.daemonSet(ns, name, r -> new DaemonSetEntity.Update(update, expectedSpecVersion,
            call.cause(clock, call.req().verb()), r))
        .thenApply(outcome -> {
          DaemonSet updated = Writes.accepted(call, name, outcome);
          return Writes.respond(call, 200, Writes.readBack(store, call, ns, name, updated), warnings);
        });
  }

  /**
   * PUT/PATCH daemonsets/x/status (merge, JSON and strategic patches): the object's status becomes the request's,
   * metadata and spec stay as stored (upstream's status strategy), validated as upstream validates a status update.
   * The controller then rewrites its counters and its own condition types, and keeps the others.
   */
  private CompletionStage<HttpResponse> statusWrite(Call call, String body) {
    String verb = call.req().verb();
    if (verb.equals("update")) {
      Requested<DaemonSet> requested = verbs.requested(call, body);
      StoredObject stored = reads.find(call);
      Writes.checkResourceVersion(call, stored, requested.object().metadata());
      return saveStatus(call, stored, requested.object(), -1, requested.warnings(), false);
    }
    if (!verb.equals("patch")) {
      throw ReadOnlyRoutes.methodNotAllowed(call, verb + " is not supported on resources of kind "
          + Authorizer.quote("daemonsets/status"));
    }
    PatchType type = patchType(call);
    if (type == PatchType.APPLY_PATCH) {
      throw ApiException.unsupportedMediaType(type.mediaType(), List.of(PatchType.JSON_PATCH.mediaType(),
          PatchType.MERGE_PATCH.mediaType(), PatchType.STRATEGIC_MERGE_PATCH.mediaType()));
    }
    return verbs.patch(call, type, body, inView(call), this::saveStatus);
  }

  private CompletionStage<HttpResponse> saveStatus(Call call, StoredObject stored, DaemonSet requested,
                                                   long ignoredGuard, List<String> warnings, boolean trackFields) {
    DaemonSet existing = (DaemonSet) stored.object();
    DaemonSetStatus status = requested.status() == null ? DaemonSetStatus.EMPTY : requested.status();
    DaemonSet written = existing.withStatus(status.withRollout(existing.status() == null ? null
        : existing.status().rollout()));
    Writes.requireValid(call, call.req().name(), DaemonSetValidation.validateStatusUpdate(written, existing));
    if (call.dryRun()) {
      return Writes.done(call, 200, written, warnings);
    }
    return store.daemonSet(call.namespace(), call.req().name(), r -> new DaemonSetEntity.UpdateStatus(status,
            existing.metadata().uid(), call.cause(clock, "status " + call.req().verb()), r))
        .thenApply(outcome -> Writes.respond(call, 200, Writes.readBack(store, call, call.namespace(),
            call.req().name(), Writes.accepted(call, call.req().name(), outcome)), warnings));
  }

  @Override
  public CompletionStage<HttpResponse> delete(Call call, Bodies.DeleteOptions options, StoredObject stored) {
    DaemonSet ds = (DaemonSet) stored.object();
    String name = call.req().name();
    String policy = policy(call, options);
    if (options.dryRun()) {
      return CompletableFuture.completedFuture(policy.equals("Foreground")
          ? Render.object(call, 200, ds.withMetadata(ds.metadata().withDeletionTimestamp(clock.instant())),
              clock.instant(), List.of())
          : Responses.json(200, Writes.deleted(call, name, ds.metadata().uid())));
    }
    return deleteOne(call, name, ds, policy);
  }

  private CompletionStage<HttpResponse> deleteOne(Call call, String name, DaemonSet ds, String policy) {
    String ns = ds.metadata().namespace();
    return store.daemonSet(ns, name, r -> new DaemonSetEntity.Delete(policy,
            call.cause(clock, "delete (propagation " + policy + ")"), r))
        .thenApply(outcome -> {
          Writes.accepted(call, name, outcome);
          var still = store.index().get(call.kind().resource, ns, name);
          if (still.isPresent()) {
            return Render.object(call, 200, still.get().object(), clock.instant(), List.of());
          }
          return Responses.json(200, Writes.deleted(call, name, ds.metadata().uid()));
        });
  }

  /** DELETE on the collection: every selected DaemonSet, each with the request's propagation policy. */
  @Override
  public CompletionStage<HttpResponse> deleteCollection(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    ListQuery query = ListQuery.parse(call);
    ListQuery.Page page = query.page(call.kind(), store.index().list(call.kind().resource),
        store.view().resourceVersion());
    String policy = policy(call, options);
    List<CompletionStage<HttpResponse>> deletions = new ArrayList<>();
    if (!options.dryRun()) {
      for (Object o : page.items()) {
        DaemonSet ds = (DaemonSet) o;
        deletions.add(deleteOne(call, ds.metadata().name(), ds, policy));
      }
    }
    CompletableFuture<?>[] all = deletions.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all).thenApply(ignored -> Render.list(call, page, clock.instant()));
  }

  /** Upstream's defaults: Background through apps/v1, Orphan through extensions/v1beta1. */
  static String policy(Call call, Bodies.DeleteOptions options) {
    if (options.propagationPolicy() != null) {
      return options.propagationPolicy();
    }
    return call.req().group().equals("extensions") ? "Orphan" : "Background";
  }
}
