package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the API as an agent uses it: a credential obtained with the bootstrap token registers and reads its Node;
 * deleting the Node revokes the credential (401), and the bootstrap token obtains a new one, which works.
 */
class NodeCredentialRevocationTest {
  @TempDir static Path tmp;
  static TestControlPlane api;
  static String bootstrapToken;

  @BeforeAll
  static void start() throws Exception {
    api = TestControlPlane.start(tmp);
    bootstrapToken = Files.readString(api.nodeTokenFile()).trim();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static String exchange(String node, int expectedCode) {
    Response r = api.call("POST", "/bootstrap/node-credentials", bootstrapToken, "application/json",
        "{\"nodeName\":\"" + node + "\"}");
    assertThat(r.code()).as(r.body()).isEqualTo(expectedCode);
    return r.json().path("token").asText();
  }

  @Test
  void deletingTheNodeRevokesItsCredentialAndTheBootstrapTokenIssuesANewOne() throws Exception {
    String token = exchange("revoked-1", 201);
    assertThat(exchange("revoked-1", 200)).as("asked again: the same").isEqualTo(token);
    Response created = api.call("POST", "/api/v1/nodes", token, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"revoked-1\"}}");
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(api.call("GET", "/api/v1/nodes/revoked-1", token, null, null).code()).isEqualTo(200);
    assertThat(Files.readString(tmp.resolve("api").resolve("tokens.csv"))).as("cluster state, not a line of the file")
        .doesNotContain(token);

    api.ok("DELETE", "/api/v1/nodes/revoked-1", null, null);

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.call("GET", "/api/v1/nodes", token, null, null).code() == 401);
    String renewed = exchange("revoked-1", 201);
    assertThat(renewed).isNotEqualTo(token);
    assertThat(api.call("GET", "/api/v1/nodes", renewed, null, null).code()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/nodes", token, null, null).code()).as("the old one stays revoked")
        .isEqualTo(401);
  }
}
