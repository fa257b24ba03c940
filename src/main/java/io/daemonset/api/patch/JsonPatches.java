package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import com.flipkart.zjsonpatch.Operation;
import java.util.EnumSet;

/**
 * {@code application/json-patch+json} (RFC 6902) through zjsonpatch, answering as kube-apiserver does:
 * a body that is not a list of operations is 400, more than 10,000 operations 413, and any operation that
 * fails (a {@code test} that does not match, a path that is not there) 422 Invalid with the fixed message
 * "the server rejected our request due to an error in our request"; {@link PatchException#detail()} keeps
 * the reason in evanphx/json-patch's words ("testing value /metadata/resourceVersion failed: test failed").
 */
public final class JsonPatches {
  /** kube-apiserver's maxJSONPatchOperations. */
  static final int MAX_OPERATIONS = 10_000;
  /** evanphx/json-patch refuses to remove what is not there; zjsonpatch only does so with this flag. */
  private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private JsonPatches() {}

  /** The patched copy of {@code target}; {@code target} is not modified. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw PatchException.badRequest("json: cannot unmarshal " + (patch == null ? "null" : jsonKind(patch))
          + " into Go value of type jsonpatch.Patch");
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw PatchException.tooLarge("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
          + ", got " + patch.size());
    }
    try {
      // Numbers normalised on both sides: a `test` of 10 must match a stored 10L, as it does in Go.
      return JsonPatch.apply(Nodes.withJsonNumbers(patch), Nodes.withJsonNumbers(target), FLAGS);
    } catch (JsonPatchApplicationException e) {
      throw PatchException.unprocessable(detail(e));
    }
  }

  private static String detail(JsonPatchApplicationException e) {
    Operation op = e.getOperation();
    String path = e.getPath() == null ? "" : e.getPath().toString();
    if (op == Operation.TEST) {
      return "testing value " + path + " failed: test failed";
    }
    if (op == null) {
      return e.getMessage();
    }
    return op.rfcName() + " operation does not apply: " + e.getMessage() + (path.isEmpty() ? "" : " at " + path);
  }

  private static String jsonKind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
