package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases of upstream's TestGetAPIRequestInfo, plus the paths kubectl sends for this API. */
class RequestInfoTest {

  /** method, path?query, resourceRequest, verb, group, version, namespace, resource, subresource, name. */
  static Stream<Arguments> cases() {
    return Stream.of(
        row("GET", "/api/v1/nodes?limit=500", true, "list", "", "v1", "", "nodes", "", ""),
        row("GET", "/api/v1/nodes/node-1", true, "get", "", "v1", "", "nodes", "", "node-1"),
        row("PUT", "/api/v1/nodes/node-1/status", true, "update", "", "v1", "", "nodes", "status", "node-1"),
        row("PATCH", "/api/v1/nodes/node-1", true, "patch", "", "v1", "", "nodes", "", "node-1"),
        row("GET", "/api/v1/namespaces/default/pods", true, "list", "", "v1", "default", "pods", "", ""),
        row("GET", "/api/v1/pods", true, "list", "", "v1", "", "pods", "", ""),
        row("GET", "/api/v1/namespaces/default/pods/p1/log", true, "get", "", "v1", "default", "pods", "log", "p1"),
        row("GET", "/api/v1/namespaces/default/pods?watch=true&resourceVersion=5", true, "watch", "", "v1",
            "default", "pods", "", ""),
        row("GET", "/api/v1/namespaces/default/pods?watch=1", true, "watch", "", "v1", "default", "pods", "", ""),
        row("GET", "/api/v1/namespaces/default/pods?watch=false", true, "list", "", "v1", "default", "pods", "", ""),
        row("GET", "/api/v1/namespaces/default/pods?watch=yes", true, "watch", "", "v1", "default", "pods", "", ""),
        row("GET", "/api/v1/watch/namespaces/default/pods", true, "watch", "", "v1", "default", "pods", "", ""),
        row("GET", "/api/v1/watch/namespaces/default/pods/p1", true, "watch", "", "v1", "default", "pods", "", "p1"),
        row("GET", "/apis/apps/v1/namespaces/default/daemonsets?fieldSelector=metadata.name%3Dfluentd&watch=true",
            true, "watch", "apps", "v1", "default", "daemonsets", "", "fluentd"),
        row("GET", "/apis/apps/v1/namespaces/default/daemonsets?fieldSelector=metadata.name!%3Dfluentd", true,
            "list", "apps", "v1", "default", "daemonsets", "", ""),
        row("POST", "/apis/apps/v1/namespaces/default/daemonsets?fieldManager=kubectl-create", true, "create", "apps",
            "v1", "default", "daemonsets", "", ""),
        row("PATCH", "/apis/apps/v1/namespaces/default/daemonsets/fluentd", true, "patch", "apps", "v1", "default",
            "daemonsets", "", "fluentd"),
        row("PUT", "/apis/apps/v1/namespaces/default/daemonsets/fluentd/status", true, "update", "apps", "v1",
            "default", "daemonsets", "status", "fluentd"),
        row("DELETE", "/apis/apps/v1/namespaces/default/daemonsets/fluentd", true, "delete", "apps", "v1", "default",
            "daemonsets", "", "fluentd"),
        row("DELETE", "/apis/apps/v1/namespaces/default/daemonsets", true, "deletecollection", "apps", "v1",
            "default", "daemonsets", "", ""),
        row("GET", "/apis/apps/v1/daemonsets", true, "list", "apps", "v1", "", "daemonsets", "", ""),
        row("GET", "/apis/extensions/v1beta1/namespaces/default/daemonsets/x", true, "get", "extensions", "v1beta1",
            "default", "daemonsets", "", "x"),
        row("HEAD", "/apis/apps/v1/namespaces/ns/controllerrevisions/r1", true, "get", "apps", "v1", "ns",
            "controllerrevisions", "", "r1"),
        // namespaces themselves and their subresources
        row("GET", "/api/v1/namespaces", true, "list", "", "v1", "", "namespaces", "", ""),
        row("GET", "/api/v1/namespaces/other", true, "get", "", "v1", "other", "namespaces", "", "other"),
        row("PUT", "/api/v1/namespaces/other/finalize", true, "update", "", "v1", "other", "namespaces", "finalize",
            "other"),
        row("GET", "/api/v1/namespaces/other/status", true, "get", "", "v1", "other", "namespaces", "status", "other"),
        // unknown method: empty verb
        row("OPTIONS", "/api/v1/nodes/n", true, "", "", "v1", "", "nodes", "", "n"),
        // non-resource requests: lower-cased method as verb, nothing else
        row("GET", "/api", false, "get", "", "", "", "", "", ""),
        row("GET", "/api/v1", false, "get", "", "", "", "", "", ""),
        row("GET", "/apis", false, "get", "", "", "", "", "", ""),
        row("GET", "/apis/apps", false, "get", "", "", "", "", "", ""),
        row("GET", "/apis/apps/v1", false, "get", "", "", "", "", "", ""),
        row("GET", "/version", false, "get", "", "", "", "", "", ""),
        row("GET", "/openapi/v3/apis/apps/v1?hash=AB", false, "get", "", "", "", "", "", ""),
        row("POST", "/other/path/here", false, "post", "", "", "", "", "", ""),
        row("GET", "/api/v1/watch", false, "get", "", "", "", "", "", ""));
  }

  private static Arguments row(String method, String url, boolean resource, String verb, String group,
                               String version, String namespace, String res, String sub, String name) {
    return Arguments.of(method, url, resource, verb, group, version, namespace, res, sub, name);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void parses(String method, String url, boolean resourceRequest, String verb, String group, String version,
              String namespace, String resource, String subresource, String name) {
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    Map<String, String> query = new HashMap<>();
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        query.putIfAbsent(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "",
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    RequestAttributes got = RequestInfo.parse(method, path, query);
    assertThat(got.resourceRequest()).as("resourceRequest").isEqualTo(resourceRequest);
    assertThat(got.verb()).as("verb").isEqualTo(verb);
    assertThat(got.group()).as("group").isEqualTo(group);
    assertThat(got.version()).as("version").isEqualTo(version);
    assertThat(got.namespace()).as("namespace").isEqualTo(namespace);
    assertThat(got.resource()).as("resource").isEqualTo(resource);
    assertThat(got.subresource()).as("subresource").isEqualTo(subresource);
    assertThat(got.name()).as("name").isEqualTo(name);
    assertThat(got.path()).isEqualTo(path);
  }
}
