package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.model.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated schemas carry the model's fields and the patch engine's own list rules, in v2 and v3. */
class ModelSchemasTest {
  static final String PREFIX = "io.daemonset.model.";

  static JsonNode v3Schemas() {
    return Json.read(OpenApi.document("apis/apps/v1").orElseThrow().json(), JsonNode.class)
        .path("components").path("schemas");
  }

  @Test
  void theDaemonSetSchemaHasItsGroupVersionKindsAndDescriptions() {
    JsonNode ds = v3Schemas().path(PREFIX + "DaemonSet");
    assertThat(ds.path("x-kubernetes-group-version-kind").findValuesAsText("group")).contains("apps", "extensions");
    assertThat(ds.path("description").asText()).contains("daemon set");
    JsonNode rolling = v3Schemas().path(PREFIX + "RollingUpdateDaemonSet").path("properties");
    assertThat(rolling.path("maxUnavailable").path("description").asText()).contains("maximum number");
    assertThat(rolling.path("maxUnavailable").path("allOf").path(0).path("$ref").asText())
        .isEqualTo("#/components/schemas/" + ModelSchemas.INT_OR_STRING);
    assertThat(v3Schemas().path(ModelSchemas.INT_OR_STRING).path("format").asText()).isEqualTo("int-or-string");
    assertThat(v3Schemas().path(ModelSchemas.QUANTITY).path("format").asText()).isEqualTo("quantity");
    assertThat(rolling.has("partition")).as("rollout controls are served").isTrue();
  }

  @Test
  void listRulesAreThePatchEnginesRules() {
    Map<String, com.fasterxml.jackson.databind.node.ObjectNode> defs = ModelSchemas.definitions();
    JsonNode containers = defs.get(PREFIX + "PodSpec").path("properties").path("containers");
    PatchSchema.ListRule rule = PatchSchema.DAEMONSET.list("spec.template.spec.containers");
    assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo(rule.merge() ? "merge" : "");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo(rule.mergeKey());
    assertThat(containers.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(containers.path("x-kubernetes-list-map-keys").get(0).asText()).isEqualTo("name");
    JsonNode ports = defs.get(PREFIX + "Container").path("properties").path("ports");
    assertThat(ports.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("containerPort");
    assertThat(ports.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"containerPort\",\"protocol\"]");
    JsonNode tolerations = defs.get(PREFIX + "PodSpec").path("properties").path("tolerations");
    assertThat(tolerations.path("x-kubernetes-list-type").asText()).isEqualTo("atomic");
    assertThat(tolerations.has("x-kubernetes-patch-strategy")).isFalse();
  }

  @Test
  void v2HasTheSameDefinitionsAndPathsAndEncodesAsProtobuf() {
    JsonNode v2 = OpenApi.v2Document();
    assertThat(v2.path("definitions").path(PREFIX + "DaemonSetSpec").path("properties").path("updateStrategy")
        .path("$ref").asText()).isEqualTo("#/definitions/" + PREFIX + "DaemonSetUpdateStrategy");
    JsonNode patch = v2.path("paths").path("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("DaemonSet");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    byte[] proto = OpenApi.v2Protobuf();
    // Document.swagger (field 1, length-delimited) = "2.0" comes first
    assertThat(proto[0]).isEqualTo((byte) 0x0a);
    assertThat(new String(proto, 2, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("2.0");
    assertThat(new String(proto, java.nio.charset.StandardCharsets.UTF_8)).contains("x-kubernetes-group-version-kind")
        .contains("io.daemonset.model.RollingUpdateDaemonSet");
  }
}
