package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.view.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * What one kind decides in its writes; {@link WriteVerbs} runs the steps every kind takes in the same order (verb
 * dispatch, decoding and identity checks, the resourceVersion precondition, the patch read-modify-write with its
 * queue and conflict retry, delete preconditions). A kind's routes implement this and keep only what is theirs:
 * defaulting, validation, the entity's commands, their subresources.
 *
 * @param <T> the kind's record as stored
 */
interface KindWrites<T> {
  /** The record a body decodes to. */
  Class<T> type();

  /** The kind's name in bodies ({@code DaemonSet}, {@code Node}). */
  String kind();

  /** requested with the metadata {@link Writes#checkIdentity} settled. */
  T identified(Call call, T requested);

  /** A subresource write the kind answers itself; empty: the request goes through the verb dispatch. */
  default Optional<CompletionStage<HttpResponse>> subresource(Call call, String body) {
    return Optional.empty();
  }

  /** POST of a decoded, identified body. */
  CompletionStage<HttpResponse> create(Call call, T requested, List<String> warnings);

  /** The entity's version an update expects, read before the object it guards (404 when there is none). */
  long guard(Call call);

  /**
   * Update and patch, after the resourceVersion precondition: the entity's update guarded by expectedGuard (-1:
   * unconditional); trackFields: managedFields still to be decided (a server-side apply has decided them).
   */
  CompletionStage<HttpResponse> save(Call call, StoredObject stored, T requested, long expectedGuard,
                                     List<String> warnings, boolean trackFields);

  /** The PATCH type of the request, its options checked. */
  PatchType patchType(Call call);

  /** The object a patch starts from, from this JVM's view (a first attempt). */
  Latest inView(Call call);

  /** The object a patch starts from, from the entity (an attempt after a storage conflict). */
  CompletionStage<Latest> inEntity(Call call);

  /** The stored object as the request's version shows it, for a patch to apply to. */
  JsonNode patchable(Call call, Object stored);

  PatchSchema patchSchema();

  /** application/apply-patch+yaml; only for a kind whose {@link #patchType} lets it through. */
  default CompletionStage<HttpResponse> serverSideApply(Call call, String body, Latest latest) {
    throw notSupported(call);
  }

  /** DELETE after the options' preconditions held on stored. */
  CompletionStage<HttpResponse> delete(Call call, Bodies.DeleteOptions options, StoredObject stored);

  default CompletionStage<HttpResponse> deleteCollection(Call call, String body) {
    throw notSupported(call);
  }

  /** 405 for a verb the kind does not take, as upstream words it for this resource. */
  ApiException notSupported(Call call);
}
