package io.daemonset.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a Kubernetes request (method, path, query) into {@link RequestAttributes}, following upstream's
 * RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 * <pre>
 * /api/{version}/{resource}[/{name}[/{subresource}]]                        cluster-scoped
 * /api/{version}/namespaces/{namespace}/{resource}[/{name}[/{subresource}]] namespaced
 * /apis/{group}/{version}/...                                               same below a group
 * /api/{version}/watch/...                                                  deprecated watch prefix
 * </pre>
 * Invariants: a path with fewer segments than prefix[/group]/version/x is a non-resource request whose verb is
 * the lower-cased method; GET without a name is list, or watch when watch=true (anything but false/0 once it is
 * not a valid boolean); DELETE without a name is deletecollection; a fieldSelector metadata.name=x names the object.
 * Pure: no I/O, no Pekko.
 */
public final class RequestInfo {
  private static final Set<String> API_PREFIXES = Set.of("api", "apis");
  private static final Set<String> GROUPLESS_PREFIXES = Set.of("api");
  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> SPECIAL_VERBS_NO_SUBRESOURCES = Set.of("proxy");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  private RequestInfo() {}

  /** query: decoded parameters, first value of each; may be empty. */
  public static RequestAttributes parse(String method, String path, Map<String, String> query) {
    String verbFromMethod = method.toLowerCase(Locale.ROOT);
    List<String> current = splitPath(path);
    RequestAttributes nonResource = RequestAttributes.nonResource(verbFromMethod, path);
    if (current.size() < 3 || !API_PREFIXES.contains(current.get(0))) {
      return nonResource;
    }
    String prefix = current.get(0);
    current = current.subList(1, current.size());
    String group = "";
    if (!GROUPLESS_PREFIXES.contains(prefix)) {
      if (current.size() < 3) {
        return nonResource;
      }
      group = current.get(0);
      current = current.subList(1, current.size());
    }
    String version = current.get(0);
    current = current.subList(1, current.size());

    String verb;
    if (!current.isEmpty() && SPECIAL_VERBS.contains(current.get(0))) {
      if (current.size() < 2) {
        return nonResource; // upstream: "unable to determine kind and namespace from url"
      }
      verb = current.get(0);
      current = current.subList(1, current.size());
    } else {
      verb = switch (method.toUpperCase(Locale.ROOT)) {
        case "POST" -> "create";
        case "GET", "HEAD" -> "get";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> "delete";
        default -> "";
      };
    }

    String namespace = "";
    if (!current.isEmpty() && current.get(0).equals("namespaces")) {
      if (current.size() > 1) {
        namespace = current.get(1);
        if (current.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(current.get(2))) {
          current = current.subList(2, current.size());
        }
      }
    }
    List<String> parts = List.copyOf(current);
    String resource = "";
    String name = "";
    String subresource = "";
    if (parts.size() >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.contains(verb)) {
      subresource = parts.get(2);
    }
    if (parts.size() >= 2) {
      name = parts.get(1);
    }
    if (parts.size() >= 1) {
      resource = parts.get(0);
    }

    if (verb.equals("get") && CONNECT_SUBRESOURCES.contains(subresource)) {
      // a WebSocket exec is a GET; upstream authorizes it as create (AuthorizePodWebsocketUpgradeCreatePermission)
      verb = "create";
    }
    if (name.isEmpty() && verb.equals("get")) {
      verb = isWatch(query.get("watch")) ? "watch" : "list";
      String byField = nameFromFieldSelector(query.get("fieldSelector"));
      if (byField != null) {
        name = byField;
      }
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestAttributes(true, path, verb, prefix, group, version, namespace, resource, subresource, name,
        parts);
  }

  private static final java.util.Set<String> CONNECT_SUBRESOURCES = java.util.Set.of("exec", "attach", "portforward");

  /** Go's strconv.ParseBool, and upstream's fallback: an unparsable value other than false/0 means watch. */
  static boolean isWatch(String value) {
    if (value == null) {
      return false;
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> !(value.equalsIgnoreCase("false") || value.equals("0"));
    };
  }

  /** metadata.name=x or metadata.name==x among the comma-separated requirements; null if absent or not a name. */
  static String nameFromFieldSelector(String selector) {
    if (selector == null || selector.isBlank()) {
      return null;
    }
    for (String requirement : selector.split(",")) {
      String r = requirement.trim();
      if (r.contains("!=")) {
        continue;
      }
      int eq = r.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String field = r.substring(0, eq).trim();
      String value = r.substring(r.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
      if (field.equals("metadata.name") && isValidPathSegmentName(value)) {
        return value;
      }
    }
    return null;
  }

  /** Upstream's path.IsValidPathSegmentName. */
  static boolean isValidPathSegmentName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && !name.contains("/") && !name.contains("%");
  }

  private static List<String> splitPath(String path) {
    String trimmed = path;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.asList(trimmed.split("/")));
  }
}
