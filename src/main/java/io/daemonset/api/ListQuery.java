package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Status;
import io.daemonset.placement.FieldSelector;
import io.daemonset.placement.Selector;
import io.daemonset.placement.SelectorParseException;
import io.daemonset.view.KubeObjects;
import io.daemonset.view.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The query of a list or watch: label and field selectors, namespace, paging (limit and an opaque continue token),
 * resourceVersion and resourceVersionMatch, and the watch parameters. Paging invariant: items are ordered by their
 * key (namespace/name); a continue token carries the list's resourceVersion and the last key returned, and the next
 * page holds the keys after it in the snapshot at that resourceVersion ({@link #read} says which snapshot a list
 * reads; {@link ListReads} serves it), so the pages of one list are one consistent list, as upstream's are.
 *
 * @param namespace null or "" for all namespaces
 */
record ListQuery(
    String namespace,
    Selector labels,
    FieldSelector fields,
    OptionalLong limit,
    Continue from,
    String resourceVersion,
    String resourceVersionMatch,
    OptionalLong timeoutSeconds,
    boolean allowWatchBookmarks) {

  /** Where a continued list resumes. */
  record Continue(long resourceVersion, String afterKey) {}

  /** Which snapshot a list reads: the latest, exactly one version, or one not older than a version. */
  enum ReadMode { LATEST, EXACT, NOT_OLDER_THAN }

  /**
   * The snapshot a list reads.
   *
   * @param continued whether a continue token chose it (an expired one answers with an inconsistent-continue token)
   */
  record Read(ReadMode mode, long resourceVersion, boolean continued) {}

  /** A continue token's resourceVersion that means "the rest of the keys, from the latest snapshot" (upstream's). */
  static final long INCONSISTENT = -1;

  /** One page of a list, and its metadata. */
  record Page(List<Object> items, long resourceVersion, String continueToken, Long remainingItemCount) {}

  static ListQuery parse(Call call) {
    ResourceKind kind = call.kind();
    Selector labels;
    FieldSelector fields;
    try {
      labels = Selector.parse(call.query("labelSelector").orElse(""));
    } catch (SelectorParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    try {
      fields = FieldSelector.parse(call.query("fieldSelector").orElse(""));
    } catch (SelectorParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    for (String field : fields.fieldNames()) {
      if (!kind.fieldNames().contains(field)) {
        throw ApiException.badRequest("field label not supported: " + field);
      }
    }
    if (!call.req().name().isEmpty()) {
      // GET .../daemonsets/x?watch=true (and the deprecated /watch/ prefix) watches one object
      fields = FieldSelector.parse(fields.isEmpty() ? "metadata.name=" + FieldSelector.escape(call.req().name())
          : fields + ",metadata.name=" + FieldSelector.escape(call.req().name()));
    }
    OptionalLong limit = number(call, "limit");
    OptionalLong timeout = number(call, "timeoutSeconds");
    String cont = call.query("continue").orElse("");
    String ns = kind.namespaced ? call.req().namespace() : null;
    return new ListQuery(ns, labels, fields, limit.isPresent() && limit.getAsLong() > 0 ? limit : OptionalLong.empty(),
        cont.isEmpty() ? null : decodeContinue(cont), call.query("resourceVersion").orElse(""),
        call.query("resourceVersionMatch").orElse(""), timeout,
        call.query("allowWatchBookmarks").map(v -> v.equals("true") || v.equals("1")).orElse(false));
  }

  private static OptionalLong number(Call call, String name) {
    String value = call.query(name).orElse("");
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for " + name + ": " + value);
    }
  }

  /**
   * The node whose pods alone this query can select ({@code fieldSelector=spec.nodeName=X}, every kubelet's list):
   * the list then starts from that node's pods instead of every pod of the cluster (still filtered by {@link #matches}).
   */
  java.util.Optional<String> onlyPodsOf(ResourceKind kind) {
    return kind == ResourceKind.PODS ? fields.requiresExactMatch("spec.nodeName") : java.util.Optional.empty();
  }

  /** Namespace, labels and fields: does this query select the object? */
  boolean matches(ResourceKind kind, Object object) {
    ObjectMeta meta = KubeObjects.metadata(object);
    if (namespace != null && !namespace.isEmpty() && !namespace.equals(meta.namespace())) {
      return false;
    }
    // No field selector (the fleet's watch of every pod): the object's fields are not computed. They were, for every
    // change to every watcher and for every object when a watch started: a map of ten fields per pod.
    return labels.matches(meta.labelsOrEmpty()) && (fields.isEmpty() || fields.matches(kind.fields(object)));
  }

  /**
   * The snapshot this list reads, by upstream's rules (apimachinery's ValidateListOptions and the storage layer):
   * a continue token names its own version (and forbids resourceVersion and resourceVersionMatch); "" and "0" read
   * the latest; N reads exactly N with resourceVersionMatch=Exact or, without a match, when paging (limit set), and
   * at least N otherwise.
   */
  Read read() {
    List<Status.StatusCause> invalid = new ArrayList<>();
    if (!resourceVersionMatch.isEmpty()) {
      if (resourceVersion.isEmpty()) {
        invalid.add(forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided"));
      }
      if (from != null) {
        invalid.add(forbidden("resourceVersionMatch is forbidden when continue is provided"));
      }
      if (!resourceVersionMatch.equals("Exact") && !resourceVersionMatch.equals("NotOlderThan")) {
        invalid.add(new Status.StatusCause("FieldValueNotSupported", "Unsupported value: "
            + Authorizer.quote(resourceVersionMatch) + ": supported values: \"Exact\", \"NotOlderThan\", \"\"",
            "resourceVersionMatch"));
      }
      if (resourceVersionMatch.equals("Exact") && resourceVersion.equals("0")) {
        invalid.add(forbidden("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
      }
    }
    if (!invalid.isEmpty()) {
      throw ApiException.invalid("meta.k8s.io", "ListOptions", "", invalid);
    }
    if (from != null) {
      if (!resourceVersion.isEmpty()) {
        throw ApiException.badRequest("specifying resource version is not allowed when using continue");
      }
      return from.resourceVersion() == INCONSISTENT ? new Read(ReadMode.LATEST, 0, true)
          : new Read(ReadMode.EXACT, from.resourceVersion(), true);
    }
    if (resourceVersion.isEmpty() || resourceVersion.equals("0")) {
      return new Read(ReadMode.LATEST, 0, false);
    }
    long version = parseResourceVersion(resourceVersion);
    boolean exact = resourceVersionMatch.equals("Exact") || (resourceVersionMatch.isEmpty() && limit.isPresent());
    return new Read(exact ? ReadMode.EXACT : ReadMode.NOT_OLDER_THAN, version, false);
  }

  private static Status.StatusCause forbidden(String message) {
    return new Status.StatusCause("FieldValueForbidden", "Forbidden: " + message, "resourceVersionMatch");
  }

  private static long parseResourceVersion(String value) {
    try {
      long version = Long.parseLong(value);
      if (version < 0) {
        throw new NumberFormatException();
      }
      return version;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + value);
    }
  }

  /** The continue token that resumes after this one's key from the latest snapshot (what a 410 offers). */
  String inconsistentContinue() {
    return encodeContinue(new Continue(INCONSISTENT, from.afterKey()));
  }

  /** The objects the query selects, in key order, one page of them; {@code snapshotVersion} is the list's version. */
  Page page(ResourceKind kind, Collection<StoredObject> all, long snapshotVersion) {
    List<StoredObject> selected = new ArrayList<>();
    for (StoredObject o : all) {
      if ((from == null || o.key().compareTo(from.afterKey()) > 0) && matches(kind, o.object())) {
        selected.add(o);
      }
    }
    selected.sort(Comparator.comparing(StoredObject::key));
    long rv = snapshotVersion;
    if (limit.isEmpty() || selected.size() <= limit.getAsLong()) {
      return new Page(selected.stream().map(StoredObject::object).toList(), rv, null, null);
    }
    List<StoredObject> page = selected.subList(0, (int) limit.getAsLong());
    String token = encodeContinue(new Continue(rv, page.get(page.size() - 1).key()));
    return new Page(page.stream().map(StoredObject::object).toList(), rv, token,
        (long) (selected.size() - page.size()));
  }

  static String encodeContinue(Continue c) {
    ObjectNode token = JsonNodeFactory.instance.objectNode().put("v", "meta.k8s.io/v1")
        .put("rv", c.resourceVersion()).put("start", c.afterKey());
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
  }

  static Continue decodeContinue(String token) {
    try {
      JsonNode node = Json.read(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8),
          JsonNode.class);
      if (!"meta.k8s.io/v1".equals(node.path("v").asText()) || !node.path("start").isTextual()) {
        throw new IllegalArgumentException("unknown token version");
      }
      return new Continue(node.path("rv").asLong(), node.path("start").asText());
    } catch (RuntimeException e) {
      throw ApiException.badRequest("continue key is not valid: " + Objects.toString(e.getMessage(), "malformed"));
    }
  }

  /** The watch starts "now" (with ADDED for what exists) for "" and "0", else after the given version. */
  boolean watchFromNow() {
    return resourceVersion.isEmpty() || resourceVersion.equals("0");
  }

  long watchResourceVersion() {
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + resourceVersion);
    }
  }
}
