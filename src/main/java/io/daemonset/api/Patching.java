package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.daemonset.api.patch.ApplyResult;
import io.daemonset.api.patch.JsonPatches;
import io.daemonset.api.patch.ManagedFields;
import io.daemonset.api.patch.MergePatches;
import io.daemonset.api.patch.PatchException;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.api.patch.PatchType;
import io.daemonset.api.patch.ServerSideApply;
import io.daemonset.api.patch.StrategicMergePatches;
import io.daemonset.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The routes' use of the api.patch engine: the patch type from Content-Type (415 otherwise), the patch options
 * (fieldManager, force), applying JSON, merge and strategic merge patches to an object's JSON, server-side apply,
 * and managedFields bookkeeping of non-apply writes. Engine refusals become their Status.
 */
final class Patching {
  private Patching() {}

  static PatchType type(Call call) {
    String contentType = Bodies.mediaType(call);
    return PatchType.fromContentType(contentType).orElseThrow(
        () -> api(PatchException.unsupportedMediaType(contentType)));
  }

  /** fieldManager and force, checked as kube-apiserver's ValidatePatchOptions does. */
  static void checkOptions(Call call, PatchType type) {
    guard(() -> {
      type.validateOptions(call.query("fieldManager").orElse(null), force(call));
      return null;
    });
  }

  /** The types of PATCH a resource without server-side apply takes (nodes, pods). */
  static PatchType typeWithoutApply(Call call) {
    PatchType type = type(call);
    if (type == PatchType.APPLY_PATCH) {
      throw ApiException.unsupportedMediaType(type.mediaType(), List.of(PatchType.JSON_PATCH.mediaType(),
          PatchType.MERGE_PATCH.mediaType(), PatchType.STRATEGIC_MERGE_PATCH.mediaType()));
    }
    checkOptions(call, type);
    return type;
  }

  /** JSON, merge or strategic merge patch of current (as the client sees it). */
  static JsonNode apply(Call call, PatchType type, JsonNode current, String body, PatchSchema schema) {
    JsonNode patch = guard(() -> parse(body));
    return guard(() -> switch (type) {
      case JSON_PATCH -> JsonPatches.apply(current, patch);
      case MERGE_PATCH -> MergePatches.apply(current, patch);
      case STRATEGIC_MERGE_PATCH -> StrategicMergePatches.apply(current, patch, schema);
      case APPLY_PATCH -> throw new IllegalStateException("server-side apply goes through serverSideApply");
    });
  }

  /** Server-side apply of the body to live (null: the object does not exist yet). */
  static ApplyResult serverSideApply(Call call, JsonNode live, String body, PatchSchema schema,
                                     UnaryOperator<JsonNode> defaulter, java.time.Instant now) {
    JsonNode config = guard(() -> ServerSideApply.parse(body));
    ServerSideApply.Options options = new ServerSideApply.Options(call.query("fieldManager").orElse(""),
        Boolean.TRUE.equals(force(call)), call.apiVersion(), now, defaulter);
    ApplyResult result = guard(() -> ServerSideApply.apply(live, config, options, schema));
    if (result instanceof ApplyResult.Conflicted conflicted) {
      throw api(conflicted.toException());
    }
    return result;
  }

  /**
   * managedFields after a create (before null), update or non-apply patch from before to after, both in the form
   * the client sees, for the request's field manager; null when the object carries none.
   */
  static List<JsonNode> managedFieldsAfter(Call call, JsonNode before, JsonNode after, PatchSchema schema,
                                           java.time.Instant now) {
    String manager = ManagedFields.managerFor(call.query("fieldManager").orElse(null),
        call.http().getHeader("User-Agent").map(h -> h.value()).orElse(""));
    JsonNode live = before == null ? null : before.path("metadata").get("managedFields");
    ArrayNode fields = guard(() -> ManagedFields.recordUpdate(before, after, manager, call.apiVersion(), now, live,
        schema, call.req().subresource().isEmpty() ? null : call.req().subresource()));
    if (fields == null || fields.isEmpty()) {
      return null;
    }
    List<JsonNode> out = new ArrayList<>();
    fields.forEach(out::add);
    return out;
  }

  /**
   * Whether the patch sets metadata.resourceVersion (a precondition: it is compared, never retried). An unreadable
   * body names none; its attempt answers why it is unreadable.
   */
  static boolean namesResourceVersion(PatchType type, String body) {
    try {
      JsonNode patch = type == PatchType.APPLY_PATCH ? ServerSideApply.parse(body) : parse(body);
      if (patch.isArray()) {
        for (JsonNode op : patch) {
          if (op.path("path").asText().equals("/metadata/resourceVersion")
              && !op.path("op").asText().equals("remove") && !op.path("op").asText().equals("test")) {
            return true;
          }
        }
        return false;
      }
      JsonNode rv = patch.path("metadata").path("resourceVersion");
      return rv.isTextual() && !rv.asText().isEmpty();
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  private static Boolean force(Call call) {
    return call.query("force").map(v -> v.equals("true") || v.equals("1")).orElse(null);
  }

  private static JsonNode parse(String body) {
    try {
      if (body == null || body.isBlank()) {
        throw PatchException.badRequest("the body of the request was empty");
      }
      return Json.mapper().readTree(body);
    } catch (java.io.IOException e) {
      throw PatchException.badRequest("error decoding patch: " + e.getMessage());
    }
  }

  private static <T> T guard(Supplier<T> step) {
    try {
      return step.get();
    } catch (PatchException e) {
      throw api(e);
    }
  }

  static ApiException api(PatchException e) {
    return new ApiException(e.toStatus());
  }
}
