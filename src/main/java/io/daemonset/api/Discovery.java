package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.ApiResources.GroupVersion;
import io.daemonset.api.ApiResources.Resource;
import io.daemonset.api.ApiResources.Subresource;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Discovery documents, built from {@link ApiResources}: the legacy APIVersions (/api), APIGroupList (/apis) and
 * APIResourceList (/api/v1, /apis/G/V), the aggregated APIGroupDiscoveryList (apidiscovery.k8s.io v2 and
 * v2beta1, one request instead of one per group version) and /version. Pure functions returning JSON trees.
 */
public final class Discovery {
  public static final String MAJOR = "1";
  public static final String MINOR = "32";
  public static final String GIT_VERSION = "v1.32.0";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Discovery() {}

  /** /version: kubectl's dispatcher picks its kubectl from major/minor. */
  public static ObjectNode version() {
    ObjectNode v = F.objectNode();
    v.put("major", MAJOR);
    v.put("minor", MINOR);
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2024-12-11T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "daemonset-controller");
    v.put("platform", platform());
    return v;
  }

  /** GET /api, legacy. */
  public static ObjectNode apiVersions() {
    ObjectNode v = F.objectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add(ApiResources.CORE_V1.version());
    v.putArray("serverAddressByClientCIDRs");
    return v;
  }

  /** GET /apis, legacy. */
  public static ObjectNode apiGroupList() {
    ObjectNode list = F.objectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<GroupVersion>> group : ApiResources.groups().entrySet()) {
      ObjectNode g = groups.addObject();
      g.put("name", group.getKey());
      ArrayNode versions = g.putArray("versions");
      for (GroupVersion gv : group.getValue()) {
        versions.add(groupVersionForDiscovery(gv));
      }
      g.set("preferredVersion", groupVersionForDiscovery(group.getValue().get(0)));
    }
    groups.add(MetricsApi.legacyGroup());
    return list;
  }

  /** GET /apis/{group}: one APIGroup. */
  public static ObjectNode apiGroup(String group, List<GroupVersion> versions) {
    ObjectNode g = F.objectNode();
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    g.put("name", group);
    ArrayNode list = g.putArray("versions");
    versions.forEach(gv -> list.add(groupVersionForDiscovery(gv)));
    g.set("preferredVersion", groupVersionForDiscovery(versions.get(0)));
    return g;
  }

  /** GET /api/v1, /apis/apps/v1, /apis/extensions/v1beta1. */
  public static ObjectNode apiResourceList(GroupVersion gv) {
    ObjectNode list = F.objectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", gv.groupVersion());
    ArrayNode resources = list.putArray("resources");
    for (Resource r : ApiResources.in(gv)) {
      ObjectNode o = resources.addObject();
      o.put("name", r.name());
      o.put("singularName", r.singularName());
      o.put("namespaced", r.namespaced());
      o.put("kind", r.kind());
      strings(o.putArray("verbs"), r.verbs());
      if (!r.shortNames().isEmpty()) {
        strings(o.putArray("shortNames"), r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        strings(o.putArray("categories"), r.categories());
      }
      for (Subresource s : r.subresources()) {
        ObjectNode so = resources.addObject();
        so.put("name", r.name() + "/" + s.name());
        so.put("singularName", "");
        so.put("namespaced", r.namespaced());
        so.put("kind", s.kind());
        strings(so.putArray("verbs"), s.verbs());
      }
    }
    return list;
  }

  /**
   * Aggregated discovery for /api (core=true) or /apis (core=false); discoveryVersion is "v2" or "v2beta1",
   * whichever the client asked for (the content type must echo it, or kubectl ignores the body).
   */
  public static ObjectNode aggregated(boolean core, String discoveryVersion) {
    ObjectNode list = F.objectNode();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", "apidiscovery.k8s.io/" + discoveryVersion);
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    if (core) {
      ObjectNode item = items.addObject();
      item.putObject("metadata").putNull("creationTimestamp");
      item.putArray("versions").add(aggregatedVersion(ApiResources.CORE_V1));
    } else {
      for (Map.Entry<String, List<GroupVersion>> group : ApiResources.groups().entrySet()) {
        ObjectNode item = items.addObject();
        ObjectNode meta = item.putObject("metadata");
        meta.put("name", group.getKey());
        meta.putNull("creationTimestamp");
        ArrayNode versions = item.putArray("versions");
        group.getValue().forEach(gv -> versions.add(aggregatedVersion(gv)));
      }
      items.add(MetricsApi.aggregatedGroup());
    }
    return list;
  }

  private static ObjectNode aggregatedVersion(GroupVersion gv) {
    ObjectNode version = F.objectNode();
    version.put("version", gv.version());
    ArrayNode resources = version.putArray("resources");
    for (Resource r : ApiResources.in(gv)) {
      ObjectNode o = resources.addObject();
      o.put("resource", r.name());
      o.set("responseKind", kind(r.group(), r.version(), r.kind()));
      o.put("scope", r.namespaced() ? "Namespaced" : "Cluster");
      o.put("singularResource", r.singularName());
      strings(o.putArray("verbs"), r.verbs());
      if (!r.shortNames().isEmpty()) {
        strings(o.putArray("shortNames"), r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        strings(o.putArray("categories"), r.categories());
      }
      if (!r.subresources().isEmpty()) {
        ArrayNode subs = o.putArray("subresources");
        for (Subresource s : r.subresources()) {
          ObjectNode so = subs.addObject();
          so.put("subresource", s.name());
          so.set("responseKind", kind(r.group(), r.version(), s.kind()));
          strings(so.putArray("verbs"), s.verbs());
        }
      }
    }
    version.put("freshness", "Current");
    return version;
  }

  private static ObjectNode groupVersionForDiscovery(GroupVersion gv) {
    ObjectNode o = F.objectNode();
    o.put("groupVersion", gv.groupVersion());
    o.put("version", gv.version());
    return o;
  }

  private static ObjectNode kind(String group, String version, String kind) {
    ObjectNode o = F.objectNode();
    o.put("group", group);
    o.put("version", version);
    o.put("kind", kind);
    return o;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String platform() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "amd64");
    String goOs = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
    String goArch = switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
    return goOs + "/" + goArch;
  }
}
