package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * metadata.managedFields: who owns which fields. Entries are {@code manager}, {@code operation} (Apply or
 * Update), {@code apiVersion}, {@code time}, {@code fieldsType: FieldsV1}, {@code fieldsV1} and, for a
 * subresource, {@code subresource}, as kube-apiserver writes them and kubectl reads them (its CSA to SSA
 * migration merges the {@code kubectl-client-side-apply} Update entry into the {@code kubectl} Apply entry).
 *
 * <p>{@link #recordUpdate} is what kube-apiserver's field manager does after a create, update or a
 * non-apply patch: the fields the request changed now belong to its manager (and to no one else), fields it
 * removed belong to no one. As upstream: metadata.name, uid, resourceVersion and the other server-set fields
 * are never owned, nor is status through the main resource; a request that sets managedFields to {@code []}
 * or {@code [{}]} clears them, one that sets other entries replaces them (kubectl's migration); an existing
 * object without managedFields is not tracked by updates. Simplified: an Update entry owns the leaves and
 * list items it changed, while kube-apiserver also marks optional maps, lists and pointer structs that the
 * request created (the {@code "."} in {@code "f:labels":{".":{},…}}): that needs Go's omitempty layout.
 * Not done: merging Update managers beyond ten into "ancient-changes", converting sets between versions.
 */
public final class ManagedFields {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  private static final Set<String> SERVER_SET = Set.of("name", "namespace", "creationTimestamp", "selfLink", "uid",
      "clusterName", "generation", "managedFields", "resourceVersion");

  private ManagedFields() {}

  /** One managedFields entry. {@code time} is kept as written (RFC 3339, seconds); null if absent. */
  public record Entry(String manager, String operation, String apiVersion, String time, FieldSet fields,
                      String subresource) {
    /** Same manager as kube-apiserver identifies them: Apply entries ignore the apiVersion. */
    boolean sameManager(String otherManager, String otherOperation, String otherApiVersion, String otherSub) {
      return manager.equals(otherManager) && operation.equals(otherOperation)
          && Objects.equals(blankToNull(subresource), blankToNull(otherSub))
          && (APPLY.equals(operation) || Objects.equals(apiVersion, otherApiVersion));
    }

    Entry withFields(FieldSet value) {
      return new Entry(manager, operation, apiVersion, time, value, subresource);
    }

    Entry at(Instant now) {
      return new Entry(manager, operation, apiVersion, timestamp(now), fields, subresource);
    }

    /** How a conflict names this manager: {@code "kubectl-client-side-apply" using apps/v1} for an updater. */
    String describe() {
      String name = "\"" + manager + "\"" + (blankToNull(subresource) == null ? ""
          : " with subresource \"" + subresource + "\"");
      return UPDATE.equals(operation) ? name + " using " + apiVersion : name;
    }

    ObjectNode toJson() {
      ObjectNode out = Nodes.object();
      out.put("manager", manager).put("operation", operation).put("apiVersion", apiVersion);
      if (time != null) {
        out.put("time", time);
      }
      out.put("fieldsType", "FieldsV1").set("fieldsV1", fields.toFieldsV1());
      if (blankToNull(subresource) != null) {
        out.put("subresource", subresource);
      }
      return out;
    }
  }

  /** The entries of a managedFields list; throws IllegalArgumentException on one it cannot read. */
  public static List<Entry> decode(JsonNode managedFields) {
    List<Entry> out = new ArrayList<>();
    if (managedFields == null || !managedFields.isArray()) {
      return out;
    }
    for (JsonNode e : managedFields) {
      if (!"FieldsV1".equals(e.path("fieldsType").asText())) {
        throw new IllegalArgumentException("invalid fieldsType " + e.path("fieldsType") + ": must be FieldsV1");
      }
      out.add(new Entry(e.path("manager").asText(""), e.path("operation").asText(""),
          e.path("apiVersion").asText(""), e.hasNonNull("time") ? e.get("time").asText() : null,
          FieldSet.fromFieldsV1(e.get("fieldsV1")), e.hasNonNull("subresource") ? e.get("subresource").asText() : null));
    }
    return out;
  }

  /** Entries without fields dropped, sorted as kube-apiserver sorts them: operation, time, manager, version. */
  public static ArrayNode encode(List<Entry> entries) {
    ArrayNode out = Nodes.F.arrayNode();
    entries.stream().filter(e -> !e.fields().isEmpty())
        .sorted(Comparator.comparing(Entry::operation)
            .thenComparing(e -> e.time() == null ? "" : e.time())
            .thenComparing(Entry::manager)
            .thenComparing(Entry::apiVersion)
            .thenComparing(e -> e.subresource() == null ? "" : e.subresource()))
        .forEach(e -> out.add(e.toJson()));
    return out;
  }

  /**
   * The field manager of a non-apply request: the {@code fieldManager} parameter, or else the user agent's
   * product name ({@code kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07} is "kubectl"), at most 128 characters.
   */
  public static String managerFor(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isEmpty()) {
      return fieldManager;
    }
    String product = userAgent == null ? "" : userAgent.split("/", 2)[0];
    StringBuilder out = new StringBuilder();
    product.codePoints().filter(c -> !Character.isISOControl(c)).limit(128).forEach(out::appendCodePoint);
    return out.toString();
  }

  /** {@link #recordUpdate(JsonNode, JsonNode, String, String, Instant, JsonNode, PatchSchema, String)} for the
   * main resource, with the schema of {@code after}'s kind. */
  public static ArrayNode recordUpdate(JsonNode before, JsonNode after, String manager, String apiVersion,
                                       Instant now, JsonNode managedFields) {
    return recordUpdate(before, after, manager, apiVersion, now, managedFields,
        PatchSchema.forKind(after.path("kind").asText()), null);
  }

  /**
   * The managedFields after an update from {@code before} (null on create) to {@code after} by
   * {@code manager}. {@code managedFields} are the live entries (before's). {@code subresource} is null for
   * the main resource or "status". The result may be empty: then the object carries no managedFields.
   */
  public static ArrayNode recordUpdate(JsonNode before, JsonNode after, String manager, String apiVersion,
                                       Instant now, JsonNode managedFields, PatchSchema schema, String subresource) {
    JsonNode requested = after.path("metadata").get("managedFields");
    if (isReset(requested) && before != null) {
      return Nodes.F.arrayNode();
    }
    List<Entry> entries = isReset(requested) ? List.of() : base(requested, managedFields);
    if (entries.isEmpty() && before != null) {
      return Nodes.F.arrayNode(); // kube-apiserver does not start tracking an existing object on update
    }
    FieldSets.Comparison change = FieldSets.compare(before == null ? Nodes.object() : before, after, schema);
    FieldSet changed = tracked(change.modifiedOrAdded(), subresource);
    FieldSet gone = change.removed();
    FieldSet owned = changed.intersect(FieldSets.of(after, schema));
    List<Entry> out = new ArrayList<>();
    Entry mine = null;
    for (Entry e : entries) {
      Entry kept = e.withFields(e.fields().minus(changed).minus(gone));
      if (e.sameManager(manager, UPDATE, apiVersion, subresource)) {
        mine = kept;
      } else {
        out.add(kept);
      }
    }
    if (!owned.isEmpty()) {
      FieldSet previous = mine == null ? FieldSet.empty() : mine.fields();
      mine = new Entry(manager, UPDATE, apiVersion, timestamp(now), previous.union(owned), subresource);
    }
    if (mine != null) {
      out.add(mine);
    }
    return encode(out);
  }

  /**
   * The paths a manager can own: not the ones the server sets (stripMeta), and for the main resource not
   * status (the strategy's reset fields), for the status subresource only status.
   */
  static FieldSet tracked(FieldSet set, String subresource) {
    boolean status = "status".equals(subresource);
    return set.filter(p -> !p.isEmpty()
        && !(p.size() == 1 && (p.get(0).equals("f:apiVersion") || p.get(0).equals("f:kind")
            || p.get(0).equals("f:metadata")))
        && !(p.size() >= 2 && p.get(0).equals("f:metadata") && SERVER_SET.contains(p.get(1).substring(2)))
        && p.get(0).equals("f:status") == status);
  }

  static String timestamp(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The entries a request supplied, if it supplied readable ones, else the live ones. */
  private static List<Entry> base(JsonNode requested, JsonNode live) {
    try {
      List<Entry> fromRequest = decode(requested);
      if (!fromRequest.isEmpty()) {
        return fromRequest;
      }
    } catch (IllegalArgumentException unreadable) {
      // as kube-apiserver: fall back to the live object's entries
    }
    try {
      return decode(live);
    } catch (IllegalArgumentException unreadable) {
      return List.of();
    }
  }

  /** {@code []} or {@code [{}]}: the request asks to clear managedFields. */
  private static boolean isReset(JsonNode requested) {
    return requested != null && requested.isArray()
        && (requested.isEmpty() || (requested.size() == 1 && requested.get(0).isObject() && requested.get(0).isEmpty()));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
