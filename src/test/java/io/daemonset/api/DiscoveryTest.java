package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  static final String KUBECTL_DISCOVERY_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;"
      + "as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
      + "application/json";

  @Test
  void aggregatedAppsGroupMatchesTheRecordedSample() throws Exception {
    JsonNode recorded = Json.mapper().readTree(getClass().getResourceAsStream("aggregated-discovery-apis.json"));
    JsonNode ours = Discovery.aggregated(false, "v2");
    JsonNode apps = ours.path("items").get(0);
    assertThat(apps.path("metadata").path("name").asText()).isEqualTo("apps");
    // Ours beyond upstream's: the plan subresource of daemonsets (issue 11); the rest is the recording.
    com.fasterxml.jackson.databind.node.ArrayNode subresources = (com.fasterxml.jackson.databind.node.ArrayNode)
        apps.path("versions").get(0).path("resources").get(0).path("subresources");
    assertThat(subresources.get(subresources.size() - 1).path("subresource").asText()).isEqualTo("plan");
    subresources.remove(subresources.size() - 1);
    assertThat(apps.path("versions").get(0)).isEqualTo(recorded.path("items").get(0).path("versions").get(0));
    assertThat(ours.path("items").get(1).path("metadata").path("name").asText()).isEqualTo("extensions");
  }

  @Test
  void legacyAppsV1MatchesTheRecordedSampleButTheHashes() throws Exception {
    JsonNode recorded = Json.mapper().readTree(getClass().getResourceAsStream("legacy-apps-v1.json"));
    for (JsonNode r : recorded.path("resources")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("storageVersionHash");
    }
    JsonNode ours = Discovery.apiResourceList(ApiResources.APPS_V1);
    com.fasterxml.jackson.databind.node.ArrayNode resources =
        (com.fasterxml.jackson.databind.node.ArrayNode) ours.path("resources");
    assertThat(resources.get(2).path("name").asText()).isEqualTo("daemonsets/plan"); // ours (issue 11)
    resources.remove(2);
    assertThat(ours).isEqualTo(recorded);
  }

  @Test
  void negotiatesAggregatedDiscoveryLikeKubectlAsks() {
    HttpResponse aggregated = ApiServer.builtIn("GET", "/apis", KUBECTL_DISCOVERY_ACCEPT, null).orElseThrow();
    Responses.MediaRange type = Responses.parseAccept(aggregated.entity().getContentType().toString()).get(0);
    assertThat(type.type()).isEqualTo("application/json");
    assertThat(type.params()).containsOnly(java.util.Map.entry("g", "apidiscovery.k8s.io"),
        java.util.Map.entry("v", "v2"), java.util.Map.entry("as", "APIGroupDiscoveryList"));
    assertThat(body(aggregated).path("kind").asText()).isEqualTo("APIGroupDiscoveryList");

    HttpResponse beta = ApiServer.builtIn("GET", "/api",
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", null).orElseThrow();
    assertThat(body(beta).path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2beta1");

    HttpResponse legacy = ApiServer.builtIn("GET", "/apis", "application/json, */*", null).orElseThrow();
    assertThat(legacy.entity().getContentType().toString()).isEqualTo("application/json");
    assertThat(body(legacy).path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(body(ApiServer.builtIn("GET", "/api", "", null).orElseThrow()).path("versions").get(0).asText())
        .isEqualTo("v1");
    assertThat(body(ApiServer.builtIn("GET", "/apis/apps", "", null).orElseThrow()).path("kind").asText())
        .isEqualTo("APIGroup");
    assertThat(ApiServer.builtIn("GET", "/apis/apps/v1/namespaces/default/daemonsets", "", null)).isEmpty();
    assertThat(ApiServer.builtIn("POST", "/api", "", null)).isEmpty();
  }

  @Test
  void openApiIndexPointsAtEachGroupVersionDocument() {
    JsonNode index = Json.tree(OpenApi.index());
    assertThat(index.path("paths").fieldNames()).toIterable()
        .containsExactly("api/v1", "apis/apps/v1", "apis/extensions/v1beta1", "apis/coordination.k8s.io/v1");
    String url = index.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
    assertThat(url).matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
    String hash = url.substring(url.indexOf("hash=") + 5);
    HttpResponse doc = ApiServer.builtIn("GET", "/openapi/v3/apis/apps/v1", "", hash).orElseThrow();
    JsonNode patch = body(doc).path("paths").path("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}")
        .path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("DaemonSet");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(doc.getHeader("Cache-Control").map(h -> h.value())).isEqualTo(Optional.of("public, immutable"));
    assertThat(body(ApiServer.builtIn("GET", "/openapi/v3/api/v1", "", null).orElseThrow()).path("paths")
        .has("/api/v1/nodes/{name}/status")).isTrue();
    HttpResponse v2 = ApiServer.builtIn("GET", "/openapi/v2",
        "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", null).orElseThrow();
    assertThat(v2.status().intValue()).isEqualTo(200);
    assertThat(v2.entity().getContentType().toString())
        .isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    assertThat(body(ApiServer.builtIn("GET", "/openapi/v2", "application/json", null).orElseThrow())
        .path("swagger").asText()).isEqualTo("2.0");
    assertThat(ApiServer.builtIn("GET", "/openapi/v3/apis/nope/v1", "", null).orElseThrow().status().intValue())
        .isEqualTo(404);
  }

  @Test
  void versionSaysOneThirtyTwo() {
    JsonNode version = body(ApiServer.builtIn("GET", "/version", "", null).orElseThrow());
    assertThat(version.path("major").asText()).isEqualTo("1");
    assertThat(version.path("minor").asText()).isEqualTo("32");
    assertThat(version.path("gitVersion").asText()).isEqualTo("v1.32.0");
  }

  private static JsonNode body(HttpResponse response) {
    return Json.read(((HttpEntity.Strict) response.entity()).getData().utf8String(), JsonNode.class);
  }
}
