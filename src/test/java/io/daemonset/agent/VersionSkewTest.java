package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Release;
import io.daemonset.model.Release.Skew;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * One release of skew between node agents and the API server, over real HTTPS against a real server (release 0.2 here,
 * by its app-version): every answer names the server's version; an agent of any version keeps working and logs the
 * skew (a warning beyond one release); a next release's agent that sends fields this server does not know is served
 * (the fields ignored, what it knows kept); a previous release's agent that does not send the newer fields is served
 * with their defaults. docs/architecture.md, "Version skew".
 */
class VersionSkewTest {
  static final String SERVER_VERSION = "0.2.0";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

  @TempDir static Path tmp;
  static TestControlPlane api;

  @BeforeAll
  static void start() throws Exception {
    api = TestControlPlane.start(tmp, "pekko.cluster.app-version = \"" + SERVER_VERSION + "\"");
    api.ok("POST", "/apis/apps/v1/namespaces/default/daemonsets", "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"skew"},
         "spec":{"selector":{"matchLabels":{"app":"skew"}},"template":{"metadata":{"labels":{"app":"skew"}},
           "spec":{"containers":[{"name":"c","image":"skew:1"}]}}}}""");
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyAnswerNamesTheServersVersion() throws Exception {
    for (String path : List.of("/version", "/api/v1/nodes", "/api/v1/namespaces/default/pods/no-such-pod")) {
      HttpResponse<String> answer = api.http().send(HttpRequest.newBuilder(URI.create(api.url() + path))
          .header("Authorization", "Bearer " + api.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.headers().firstValue(Release.HEADER)).as(path + " (" + answer.statusCode() + ")")
          .hasValue(SERVER_VERSION);
    }
    HttpResponse<String> unauthenticated = api.http().send(HttpRequest.newBuilder(URI.create(api.url()
        + "/api/v1/nodes")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.headers().firstValue(Release.HEADER)).hasValue(SERVER_VERSION);
  }

  @ParameterizedTest(name = "agent {0} against server " + SERVER_VERSION + ": {1}")
  @CsvSource({
      "0.2.3, SAME,      ",
      "0.1.0, ONE_NEWER, INFO",
      "0.3.0, ONE_OLDER, INFO",
      "0.5.0, BEYOND,    WARN",
      "1.0.0, BEYOND,    WARN"})
  void anAgentOfAnyVersionKeepsWorkingAndLogsTheSkew(String agentVersion, Skew skew, String logged) throws Exception {
    ListAppender<ILoggingEvent> log = capture();
    ApiClient client = new ApiClient(api.target(), api.http(), 4, Optional.of(agentVersion));
    try {
      assertThat(client.listPods(null).get(WAIT.toSeconds(), TimeUnit.SECONDS).items()).isNotNull();
      assertThat(client.getNode("no-such-node").handle((node, error) -> ApiError.of(error))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS).isNotFound()).as("an error answer is still an answer").isTrue();
      assertThat(client.serverVersion()).hasValue(SERVER_VERSION);
      assertThat(client.serverSkew()).isEqualTo(skew);
      List<ILoggingEvent> lines = log.list.stream()
          .filter(e -> e.getFormattedMessage().contains("this agent " + agentVersion)).toList();
      if (logged == null) {
        assertThat(lines).isEmpty();
      } else {
        assertThat(lines).singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.toLevel(logged));
          assertThat(e.getFormattedMessage()).contains("the API server runs " + SERVER_VERSION);
        });
      }
    } finally {
      client.close();
      ((Logger) LoggerFactory.getLogger(ServerSkew.class)).detachAppender(log);
    }
  }

  /** Release N+1's agent: the same requests with fields N does not know, at the top, in metadata, spec and status. */
  @Test
  void aNextReleasesAgentThatSendsFieldsThisServerDoesNotKnowIsServed() throws Exception {
    String token = api.nodeToken("n-next");
    Response created = api.call("POST", "/api/v1/nodes", token, "application/json", """
        {"apiVersion":"v1","kind":"Node","nextRelease":{"a":1},
         "metadata":{"name":"n-next","labels":{"kubernetes.io/hostname":"n-next"},"nextRelease":"m"},
         "spec":{"nextRelease":["s"]},
         "status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"20"},"nextRelease":"st"}}""");
    assertThat(created.code()).as(created.toString()).isEqualTo(201);
    assertThat(created.warnings()).as("fieldValidation absent is Warn, as kube-apiserver's")
        .anySatisfy(w -> assertThat(w).contains("unknown field").contains("nextRelease"));
    Response status = api.call("PUT", "/api/v1/nodes/n-next/status", token, "application/json", """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"n-next"},
         "status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"20"},"allocatable":{"cpu":"2","memory":"4Gi","pods":"20"},
           "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","nextRelease":true}],
           "addresses":[{"type":"InternalIP","address":"127.0.0.1","nextRelease":1}],
           "nodeInfo":{"kubeletVersion":"v1.32.0","nextRelease":"i"},"nextReleaseStatus":{"x":[1,2]}}}""");
    assertThat(status.code()).as(status.toString()).isEqualTo(200);
    JsonNode node = api.read("/api/v1/nodes/n-next");
    assertThat(node.path("metadata").path("labels").path("kubernetes.io/hostname").asText()).isEqualTo("n-next");
    assertThat(node.path("status").path("conditions").toString()).contains("KubeletReady").doesNotContain("nextRelease");
    assertThat(node.toString()).doesNotContain("nextRelease");

    String lease = """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","nextRelease":1,
         "metadata":{"name":"n-next","namespace":"kube-node-lease","nextRelease":"m"},
         "spec":{"holderIdentity":"n-next","leaseDurationSeconds":40,"nextRelease":"s"}}""";
    Response leaseCreated = api.call("POST", LEASES, token, "application/json", lease);
    assertThat(leaseCreated.code()).as(leaseCreated.toString()).isEqualTo(201);
    Response leaseRenewed = api.call("PUT", LEASES + "/n-next", token, "application/json", lease);
    assertThat(leaseRenewed.code()).as(leaseRenewed.toString()).isEqualTo(200);
    assertThat(leaseRenewed.json().path("spec").path("holderIdentity").asText()).isEqualTo("n-next");

    JsonNode pod = podOn("n-next");
    String podPath = "/api/v1/namespaces/default/pods/" + pod.path("metadata").path("name").asText();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pod).put("nextRelease", "top");
    ((com.fasterxml.jackson.databind.node.ObjectNode) pod).set("status", io.daemonset.model.Json.mapper().readTree("""
        {"phase":"Running","nextRelease":"st","hostIP":"127.0.0.1",
         "conditions":[{"type":"Ready","status":"True","nextRelease":1}],
         "containerStatuses":[{"name":"c","image":"skew:1","imageID":"","ready":true,"restartCount":0,
           "state":{"running":{"startedAt":"2026-12-03T04:00:00Z","nextRelease":2}},"nextRelease":"cs"}]}"""));
    Response podStatus = api.call("PUT", podPath + "/status", token, "application/json", pod.toString());
    assertThat(podStatus.code()).as(podStatus.toString()).isEqualTo(200);
    await("the pod's status as the next release's agent reported it", WAIT).untilAsserted(() -> {
      JsonNode now = api.read(podPath);
      assertThat(now.path("status").path("phase").asText()).isEqualTo("Running");
      assertThat(now.path("status").path("containerStatuses").path(0).path("ready").asBoolean()).isTrue();
      assertThat(now.toString()).doesNotContain("nextRelease");
    });

    String bootstrap = Files.readString(api.nodeTokenFile()).strip();
    Response exchanged = api.call("POST", "/bootstrap/node-credentials", bootstrap, "application/json",
        "{\"nodeName\":\"n-next-2\",\"nextRelease\":{\"csr\":\"later\"}}");
    assertThat(exchanged.code()).as(exchanged.toString()).isEqualTo(201);
    assertThat(exchanged.json().path("token").asText()).isNotEmpty();
  }

  /** Release N-1's agent: only the fields every release sent, none of the newer ones (their defaults apply). */
  @Test
  void aPreviousReleasesAgentThatDoesNotSendTheNewerFieldsIsServed() throws Exception {
    String token = api.nodeToken("n-prev");
    Response created = api.call("POST", "/api/v1/nodes", token, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n-prev\"}}");
    assertThat(created.code()).as(created.toString()).isEqualTo(201);
    Response status = api.call("PUT", "/api/v1/nodes/n-prev/status", token, "application/json", """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"n-prev"},
         "status":{"capacity":{"pods":"10"},"conditions":[{"type":"Ready","status":"True"}]}}""");
    assertThat(status.code()).as(status.toString()).isEqualTo(200);

    // no leaseDurationSeconds: the server grants kubelet's default (40 s, or more for a large fleet)
    Response lease = api.call("POST", LEASES, token, "application/json", """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n-prev","namespace":"kube-node-lease"},
         "spec":{"holderIdentity":"n-prev"}}""");
    assertThat(lease.code()).as(lease.toString()).isEqualTo(201);
    assertThat(lease.json().path("spec").path("leaseDurationSeconds").asInt()).isGreaterThanOrEqualTo(40);
    assertThat(lease.json().path("spec").path("renewTime").asText()).isNotEmpty();

    JsonNode pod = podOn("n-prev");
    String podPath = "/api/v1/namespaces/default/pods/" + pod.path("metadata").path("name").asText();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pod).set("status",
        io.daemonset.model.Json.mapper().readTree("{\"phase\":\"Running\"}"));
    Response podStatus = api.call("PUT", podPath + "/status", token, "application/json", pod.toString());
    assertThat(podStatus.code()).as(podStatus.toString()).isEqualTo(200);
    await("the pod's phase as the previous release's agent reported it", WAIT).untilAsserted(() ->
        assertThat(api.read(podPath).path("status").path("phase").asText()).isEqualTo("Running"));
  }

  private static JsonNode podOn(String node) {
    JsonNode[] found = new JsonNode[1];
    await("the DaemonSet's pod on " + node, WAIT).until(() -> {
      found[0] = api.pods("skew").stream().filter(p -> node.equals(p.path("spec").path("nodeName").asText()))
          .findFirst().orElse(null);
      return found[0] != null;
    });
    return found[0];
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger logger = (Logger) LoggerFactory.getLogger(ServerSkew.class);
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    return appender;
  }
}
