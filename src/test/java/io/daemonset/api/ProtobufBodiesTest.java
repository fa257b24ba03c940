package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Bodies as kubectl 1.32's typed clients send them (captured from `kubectl create namespace logging`). */
class ProtobufBodiesTest {
  static final String CREATE_NAMESPACE = "6b3873000a0f0a02763112094e616d657370616365121f0a170a076c6f6767696e67120"
      + "01a0022002a0032003800420012001a020a001a002200";

  @Test
  void namespaceFromKubectlCreate() {
    JsonNode json = ProtobufBodies.toJson(HexFormat.of().parseHex(CREATE_NAMESPACE), "Namespace");
    assertThat(json.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(json.path("kind").asText()).isEqualTo("Namespace");
    assertThat(json.path("metadata").path("name").asText()).isEqualTo("logging");
  }

  @Test
  void truncatedBodiesAreBadRequests() {
    byte[] body = HexFormat.of().parseHex(CREATE_NAMESPACE.substring(0, 40));
    assertThatThrownBy(() -> ProtobufBodies.toJson(body, "Namespace")).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(400));
  }
}
