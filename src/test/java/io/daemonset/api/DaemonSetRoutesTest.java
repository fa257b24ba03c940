package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DaemonSet CRUD over HTTPS against a real control plane, with agents that speak the API. */
class DaemonSetRoutesTest {
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";
  static final String EXT = "/apis/extensions/v1beta1/namespaces/default/daemonsets";

  @TempDir
  static Path tmp;
  static ApiCluster cluster;
  static HttpAgents agents;

  @BeforeAll
  static void start() throws Exception {
    cluster = ApiCluster.start(tmp);
    agents = new HttpAgents(cluster);
    agents.join("n1", Map.of("disk", "ssd"));
    agents.join("n2", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (agents != null) {
      agents.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String daemonSet(String name, String image) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"selector":{"matchLabels":{"app":"%s"}},
                 "template":{"metadata":{"labels":{"app":"%s"}},
                             "spec":{"containers":[{"name":"c","image":"%s"}]}}}}
        """.formatted(name, name, name, name, image);
  }

  static List<JsonNode> podsOf(String ds) {
    List<JsonNode> out = new ArrayList<>();
    cluster.get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + ds).json().path("items").forEach(out::add);
    return out;
  }

  @Test
  void createGetListAndDefaulting() {
    ApiCluster.Response created = cluster.post(DS, daemonSet("web", "nginx:1"));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode ds = created.json();
    assertThat(ds.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(ds.path("metadata").path("uid").asText()).isNotEmpty();
    assertThat(ds.path("metadata").path("resourceVersion").asText()).isNotEmpty();
    assertThat(ds.path("metadata").path("generation").asLong()).isEqualTo(1);
    assertThat(ds.path("spec").path("updateStrategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(ds.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);

    ApiCluster.await(() -> podsOf("web").size() == 2
        && podsOf("web").stream().allMatch(p -> p.path("status").path("phase").asText().equals("Running")),
        "a running pod per node");
    assertThat(podsOf("web")).extracting(p -> p.path("spec").path("nodeName").asText())
        .containsExactlyInAnyOrder("n1", "n2");

    JsonNode got = cluster.get(DS + "/web").json();
    assertThat(got.path("metadata").path("name").asText()).isEqualTo("web");
    JsonNode list = cluster.get(DS).json();
    assertThat(list.path("kind").asText()).isEqualTo("DaemonSetList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(list.path("metadata").path("resourceVersion").asText()).isNotEmpty();

    ApiCluster.Response again = cluster.post(DS, daemonSet("web", "nginx:1"));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.json().path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(again.json().path("message").asText()).isEqualTo("daemonsets.apps \"web\" already exists");
  }
}
