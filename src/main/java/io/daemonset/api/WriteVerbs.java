package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.patch.PatchType;
import io.daemonset.model.Decoded;
import io.daemonset.model.Json;
import io.daemonset.view.KubeObjects;
import io.daemonset.view.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The write skeleton of a kind with its own entity (DaemonSets, Nodes): maps verb and subresource to the kind's
 * {@link KindWrites}, and runs the steps that are the same for every kind. PATCH of one object from this JVM waits
 * in a {@link WriteQueue}; without a resourceVersion in the body it is re-applied to the latest object after a
 * storage conflict ({@link ConflictRetry}); with one, the stale version is the answer (409).
 *
 * @param <T> the kind's record
 */
final class WriteVerbs<T> {
  /** A body decoded and identity-checked, with the decoder's warnings. */
  record Requested<T>(T object, List<String> warnings) {}

  /** Where a read-modify-write ends: the kind's save, or a subresource's. */
  @FunctionalInterface
  interface Save<T> {
    CompletionStage<HttpResponse> save(Call call, StoredObject stored, T requested, long expectedGuard,
                                       List<String> warnings, boolean trackFields);
  }

  private final KindWrites<T> kind;
  private final ReadOnlyRoutes reads;
  private final WriteQueue patches = new WriteQueue();

  WriteVerbs(KindWrites<T> kind, ReadOnlyRoutes reads) {
    this.kind = kind;
    this.reads = reads;
  }

  /** Reads as ReadOnlyRoutes serves them; writes through {@link #write}. */
  Route route(Call call) {
    return Writes.readOrWrite(reads, call, this::write);
  }

  CompletionStage<HttpResponse> write(Call call, String body) {
    Optional<CompletionStage<HttpResponse>> own = kind.subresource(call, body);
    if (own.isPresent()) {
      return own.get();
    }
    return switch (call.req().verb()) {
      case "create" -> {
        Requested<T> requested = requested(call, body);
        yield kind.create(call, requested.object(), requested.warnings());
      }
      case "update" -> update(call, body);
      case "patch" -> patches.after(call.namespace() + "/" + call.req().name(), () -> patch(call, body));
      case "delete" -> delete(call, body);
      case "deletecollection" -> kind.deleteCollection(call, body);
      default -> throw kind.notSupported(call);
    };
  }

  /** A PUT or POST body: an object media type, decoded (fieldValidation), identity-checked. */
  Requested<T> requested(Call call, String body) {
    Bodies.requireObjectMediaType(call);
    return decoded(call, body);
  }

  /** A body (or a patched object as JSON) decoded and identity-checked. */
  Requested<T> decoded(Call call, String json) {
    Decoded<T> decoded = Bodies.decode(json, kind.type(), call.fieldValidation(), kind.kind(), call.apiVersion());
    return new Requested<>(kind.identified(call, decoded.value()), decoded.warnings());
  }

  /** PUT: without a resourceVersion in the body it is unconditional, with one it must be the stored one. */
  private CompletionStage<HttpResponse> update(Call call, String body) {
    Requested<T> requested = requested(call, body);
    long guard = kind.guard(call);
    StoredObject stored = reads.find(call);
    String rv = Writes.checkResourceVersion(call, stored, KubeObjects.metadata(requested.object()));
    return kind.save(call, stored, requested.object(), rv.isEmpty() ? -1 : guard, requested.warnings(), true);
  }

  private CompletionStage<HttpResponse> patch(Call call, String body) {
    PatchType type = kind.patchType(call);
    if (Patching.namesResourceVersion(type, body)) {
      return patch(call, type, body, kind.inView(call), kind::save);
    }
    return ConflictRetry.untilApplied(attempt -> attempt == 0
        ? patch(call, type, body, kind.inView(call), kind::save)
        : kind.inEntity(call).thenCompose(latest -> patch(call, type, body, latest, kind::save)));
  }

  /**
   * One read-modify-write from latest: the patch applied to the object as the request's version shows it, decoded
   * and identity-checked, the body's resourceVersion (if any) checked against latest, then save.
   */
  CompletionStage<HttpResponse> patch(Call call, PatchType type, String body, Latest latest, Save<T> save) {
    if (type == PatchType.APPLY_PATCH) {
      return kind.serverSideApply(call, body, latest);
    }
    StoredObject stored = latest.require(call);
    JsonNode patched = Patching.apply(call, type, kind.patchable(call, stored.object()), body, kind.patchSchema());
    Requested<T> requested = decoded(call, Json.write(patched));
    checkLatest(call, requested.object(), latest);
    return save.save(call, stored, requested.object(), latest.guard(), requested.warnings(), true);
  }

  /** The resourceVersion the patched object names, if any, must be latest's. */
  private static void checkLatest(Call call, Object requested, Latest latest) {
    String rv = Writes.requestedResourceVersion(KubeObjects.metadata(requested));
    if (!rv.isEmpty() && !rv.equals(latest.resourceVersion())) {
      throw ApiException.modified(call.groupResource(), call.req().name());
    }
  }

  private CompletionStage<HttpResponse> delete(Call call, String body) {
    Bodies.DeleteOptions options = Bodies.DeleteOptions.of(call, body);
    StoredObject stored = reads.find(call);
    options.checkPreconditions(call.groupResource(), call.req().name(), KubeObjects.metadata(stored.object()).uid(),
        String.valueOf(stored.resourceVersion()));
    return kind.delete(call, options, stored);
  }
}
