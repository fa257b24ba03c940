package io.daemonset.api;

import java.util.List;

/**
 * What a request is about, as upstream's RequestInfo: for resource requests the API group, version, resource,
 * subresource, namespace, name and the verb (get, list, watch, create, update, patch, delete, deletecollection);
 * for anything else (discovery, /version, /openapi) just the path and the lower-cased HTTP method as verb.
 * Empty strings mean "not present", as upstream.
 */
public record RequestAttributes(
    boolean resourceRequest,
    String path,
    String verb,
    String apiPrefix,
    String group,
    String version,
    String namespace,
    String resource,
    String subresource,
    String name,
    List<String> parts) {

  public RequestAttributes {
    path = nz(path);
    verb = nz(verb);
    apiPrefix = nz(apiPrefix);
    group = nz(group);
    version = nz(version);
    namespace = nz(namespace);
    resource = nz(resource);
    subresource = nz(subresource);
    name = nz(name);
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /** A resource request, for tests and rule tables. */
  public static RequestAttributes resource(String verb, String group, String resource, String subresource,
                                           String namespace, String name) {
    return new RequestAttributes(true, "", verb, group.isEmpty() ? "api" : "apis", group, "", namespace, resource,
        subresource, name, List.of());
  }

  /** A non-resource request (discovery, /version…). */
  public static RequestAttributes nonResource(String verb, String path) {
    return new RequestAttributes(false, path, verb, "", "", "", "", "", "", "", List.of());
  }

  /** group/resource as upstream prints it: "daemonsets.apps", or "nodes" in the core group. */
  public GroupResource groupResource() {
    return new GroupResource(group, resource);
  }

  public boolean isReadOnly() {
    return verb.equals("get") || verb.equals("list") || verb.equals("watch");
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
