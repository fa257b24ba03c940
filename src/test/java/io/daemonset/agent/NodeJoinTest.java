package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.auth.Identity;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Json;
import io.daemonset.node.NodeLifecycle;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Quiet;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Acceptance of the node side of issue 5, with real agents started from the agent command's flags against a control
 * plane as serve runs it (bootstrap token in node-token, heartbeat grace 3 s):
 * <ul>
 *   <li>an agent given {@code --token-file <data-dir>/node-token} exchanges it for its node's credential, keeps it
 *       in its work dir, and that credential may touch neither another node, nor a pod on another node, nor create a
 *       DaemonSet (403 Status each); the bootstrap token can do nothing but the exchange;</li>
 *   <li>an agent silent for longer than the grace period leaves its node Ready=Unknown with the unreachable taints,
 *       its daemon pod stays, marked not ready; restarted, it reuses its stored credential and the node recovers;</li>
 *   <li>{@code kubectl logs} prints a process pod's output through the API, and says why a hollow pod has none.</li>
 * </ul>
 */
class NodeJoinTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  static TestControlPlane api;
  static String bootstrapToken;
  static final List<NodeAgent> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 3s");
    bootstrapToken = Files.readString(api.nodeTokenFile()).trim();
  }

  @AfterAll
  static void stop() throws Exception {
    agents.forEach(a -> a.close(true));
    if (api != null) {
      api.close();
    }
  }

  /** An agent as {@code agent --server … --ca-file … --token-file <data-dir>/node-token --node-name NAME …} starts. */
  static NodeAgent agent(String name, Path workDir, String runtime, String role) throws Exception {
    List<String> args = api.agentFlags(api.nodeTokenFile());
    args.addAll(List.of("--node-name", name, "--work-dir", workDir.toString(), "--runtime", runtime,
        "--labels", "role=" + role, "--capacity", "cpu=2,memory=4Gi,pods=20", "--heartbeat-period", "500ms",
        "--node-ip", "127.0.0.1", "--ready-delay", "100ms", "--crash-backoff", "200ms"));
    AgentCommand command = new AgentCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    NodeAgent agent = NodeAgent.start(command.settings(), Clock.systemUTC());
    agents.add(agent);
    agent.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return agent;
  }

  @Test
  void aNodeCredentialActsOnlyOnItsOwnNodeAndPodsAndTheBootstrapTokenOnlyExchanges() throws Exception {
    Path work1 = tmp.resolve("cred-1");
    agent("cred-1", work1, "hollow", "cred");
    agent("cred-2", tmp.resolve("cred-2"), "hollow", "cred");

    // the bootstrap token became the node's own credential, kept in the work dir
    Path stored = work1.resolve(NodeCredentials.FILE);
    assertThat(stored).exists();
    if (stored.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
    }
    String token = Json.read(Files.readString(stored), JsonNode.class).path("token").asText();
    assertThat(api.server().tokens().authenticate(token)).hasValueSatisfying(id -> {
      assertThat(id.user()).isEqualTo("system:node:cred-1");
      assertThat(id.groups()).containsExactly(Identity.NODES);
    });

    api.ok("POST", DS, "application/json", daemonSet("creds", "cred", "[\"sleep\",\"3600\"]"));
    await("a ready pod on each node").until(() -> api.pods("creds").stream().filter(TestControlPlane::ready)
        .count() == 2);
    String otherPod = podOn("creds", "cred-2");
    String ownPod = podOn("creds", "cred-1");

    // what a node agent needs: read, and write its own Node
    assertThat(api.call("GET", "/api/v1/nodes", token, null, null).code()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dcred-1", token, null, null).code())
        .isEqualTo(200);
    assertThat(api.call("PATCH", "/api/v1/nodes/cred-1", token, "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}").code()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/namespaces/default/pods/" + ownPod, token, null, null).code())
        .isEqualTo(200);

    // and nothing else: another node, a pod on another node, a DaemonSet
    assertForbidden(api.call("PATCH", "/api/v1/nodes/cred-2", token, "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
    JsonNode otherNode = api.read("/api/v1/nodes/cred-2");
    assertForbidden(api.call("PUT", "/api/v1/nodes/cred-2/status", token, "application/json", Json.write(otherNode)));
    assertForbidden(api.call("DELETE", "/api/v1/nodes/cred-2", token, null, null));
    assertForbidden(api.call("POST", "/api/v1/nodes", token, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"cred-3\"}}"));
    assertForbidden(api.call("PATCH", "/api/v1/namespaces/default/pods/" + otherPod + "/status", token,
        "application/merge-patch+json", "{\"status\":{\"phase\":\"Failed\"}}"));
    JsonNode other = api.read("/api/v1/namespaces/default/pods/" + otherPod);
    assertForbidden(api.call("PUT", "/api/v1/namespaces/default/pods/" + otherPod + "/status", token,
        "application/json", Json.write(other)));
    assertForbidden(api.call("DELETE", "/api/v1/namespaces/default/pods/" + otherPod, token, null, null));
    assertForbidden(api.call("POST", DS, token, "application/json", daemonSet("intruder", "cred", "[\"true\"]")));
    assertForbidden(api.call("POST", "/bootstrap/node-credentials", token, "application/json",
        "{\"nodeName\":\"cred-2\"}"));
    assertThat(api.read("/api/v1/nodes/cred-2").path("metadata").path("labels").has("x")).isFalse();
    assertThat(api.pods("creds")).allSatisfy(p -> assertThat(TestControlPlane.ready(p)).isTrue());
    assertThat(api.call("GET", DS + "/intruder", api.adminToken(), null, null).code()).isEqualTo(404);

    // the bootstrap token: the exchange (the same credential again for a known node), nothing else
    assertForbidden(api.call("GET", "/api/v1/nodes", bootstrapToken, null, null));
    assertForbidden(api.call("GET", "/api/v1/namespaces/default/pods", bootstrapToken, null, null));
    assertForbidden(api.call("GET", "/api", bootstrapToken, null, null));
    assertForbidden(api.call("POST", DS, bootstrapToken, "application/json", daemonSet("intruder", "cred",
        "[\"true\"]")));
    assertForbidden(api.call("POST", "/api/v1/nodes", bootstrapToken, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"cred-3\"}}"));
    Response again = api.call("POST", "/bootstrap/node-credentials", bootstrapToken, "application/json",
        "{\"nodeName\":\"cred-1\"}");
    assertThat(again.code()).isEqualTo(200);
    assertThat(again.json().path("token").asText()).isEqualTo(token);
    assertThat(again.json().path("user").asText()).isEqualTo("system:node:cred-1");
    Response bad = api.call("POST", "/bootstrap/node-credentials", bootstrapToken, "application/json",
        "{\"nodeName\":\"Not_A_Name\"}");
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.json().path("kind").asText()).isEqualTo("Status");

    api.ok("DELETE", DS + "/creds", null, null);
    await("the pods gone").until(() -> api.pods("creds").isEmpty());
  }

  @Test
  void aStoredCredentialTheApiRefusesIsReplacedThroughTheBootstrapToken() throws Exception {
    Path work = tmp.resolve("stale-1");
    NodeCredentials.save(work, "stale-1", "revoked-or-never-issued");
    agent("stale-1", work, "hollow", "stale");
    String token = Json.read(Files.readString(work.resolve(NodeCredentials.FILE)), JsonNode.class).path("token")
        .asText();
    assertThat(token).isNotEqualTo("revoked-or-never-issued");
    assertThat(api.server().tokens().authenticate(token).flatMap(Identity::nodeName)).hasValue("stale-1");
    assertThat(api.read("/api/v1/nodes/stale-1").path("metadata").path("labels").path("role").asText())
        .isEqualTo("stale");
  }

  @Test
  void aSilentAgentsNodeTurnsUnknownAndUnreachableKeepsItsPodAndRecovers() throws Exception {
    Path work = tmp.resolve("quiet-1");
    NodeAgent agent = agent("quiet-1", work, "hollow", "quiet");
    api.ok("POST", DS, "application/json", daemonSet("quiet", "quiet", "[\"sleep\",\"3600\"]"));
    await("its pod ready").until(() -> api.pods("quiet").stream().filter(TestControlPlane::ready).count() == 1);
    String pod = podOn("quiet", "quiet-1");
    int tokens = api.server().tokens().entries().size();
    String credential = Files.readString(work.resolve(NodeCredentials.FILE));

    String quietPods = "/api/v1/namespaces/default/pods?labelSelector=app%3Dquiet";
    String beforeSilence = Quiet.resourceVersion(api.read(quietPods));
    long silentSince = System.nanoTime();
    agent.close();
    agents.remove(agent);
    await("Ready=Unknown and the unreachable taints").until(() -> {
      JsonNode node = api.read("/api/v1/nodes/quiet-1");
      return readyStatus(node).equals("Unknown")
          && unreachableEffects(node).equals(Set.of("NoSchedule", "NoExecute"));
    });
    // the grace (3 s) counts from the last heartbeat, which came at most one period (500 ms) before the agent stopped
    assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    JsonNode unknown = api.read("/api/v1/nodes/quiet-1");
    assertThat(condition(unknown, "Ready").path("reason").asText()).isEqualTo("NodeStatusUnknown");
    // upstream's MarkPodsNotReady: nobody vouches for the pod any more
    await("its pod marked not ready").until(() -> api.pods("quiet").stream().noneMatch(TestControlPlane::ready));
    // the daemon pod tolerates the unreachable taints: it stays, not even terminating. From before the silence up to
    // a marker written after the DaemonSet reconciled with the node tainted, no pod was added, removed or deleted.
    Quiet.reconciled(api, DS + "/quiet");
    List<JsonNode> events = Quiet.eventsBefore(api, quietPods, beforeSilence, Quiet.podMarker(api, "default", pod));
    assertThat(events).noneMatch(Quiet::removesOrAdds);
    List<JsonNode> pods = api.pods("quiet");
    assertThat(pods).hasSize(1);
    assertThat(pods.get(0).path("metadata").path("name").asText()).isEqualTo(pod);
    assertThat(pods.get(0).path("metadata").path("deletionTimestamp").isMissingNode()).isTrue();

    // back: the stored credential is used again (no new token), the node is Ready and untainted
    agent("quiet-1", work, "hollow", "quiet");
    await("Ready=True without the unreachable taints").until(() -> {
      JsonNode node = api.read("/api/v1/nodes/quiet-1");
      return readyStatus(node).equals("True") && unreachableEffects(node).isEmpty();
    });
    assertThat(api.server().tokens().entries()).hasSize(tokens);
    assertThat(Files.readString(work.resolve(NodeCredentials.FILE))).isEqualTo(credential);
    await("the same pod ready again").until(() -> api.pods("quiet").stream().filter(TestControlPlane::ready)
        .map(p -> p.path("metadata").path("name").asText()).toList().equals(List.of(pod)));
    await("the DaemonSet counts it").until(() ->
        api.read(DS + "/quiet").path("status").path("numberAvailable").asInt() == 1);

    api.ok("DELETE", DS + "/quiet", null, null);
    await("the pod gone").until(() -> api.pods("quiet").isEmpty());
  }

  @Test
  void kubectlLogsPrintsAProcessPodsOutputAndSaysWhyAHollowPodHasNone() throws Exception {
    NodeAgent process = agent("logs-1", tmp.resolve("logs-1"), "process", "logs");
    agent("logs-2", tmp.resolve("logs-2"), "hollow", "logs");
    assertThat(process.logEndpoint()).isNotNull();
    api.ok("POST", DS, "application/json", daemonSet("talker", "logs",
        "[\"sh\",\"-c\",\"echo hello from $0; echo second line; exec sleep 3600\",\"talker\"]"));
    await("both pods ready").until(() -> api.pods("talker").stream().filter(TestControlPlane::ready).count() == 2);
    String processPod = podOn("talker", "logs-1");
    String hollowPod = podOn("talker", "logs-2");
    String logPath = "/api/v1/namespaces/default/pods/" + processPod + "/log";

    await("the output in the API").until(() -> api.call("GET", logPath, api.adminToken(), null, null).body()
        .contains("second line"));
    assertThat(api.ok("GET", logPath, null, null).body()).isEqualTo("hello from talker\nsecond line\n");
    assertThat(api.ok("GET", logPath + "?tailLines=1", null, null).body()).isEqualTo("second line\n");
    assertThat(api.ok("GET", logPath + "?limitBytes=5&container=c", null, null).body()).isEqualTo("hello");
    Response wrong = api.call("GET", logPath + "?container=nope", api.adminToken(), null, null);
    assertThat(wrong.code()).isEqualTo(400);
    assertThat(wrong.json().path("message").asText()).isEqualTo("container nope is not valid for pod " + processPod);
    Response hollow = api.call("GET", "/api/v1/namespaces/default/pods/" + hollowPod + "/log", api.adminToken(), null,
        null);
    assertThat(hollow.code()).isEqualTo(400);
    assertThat(hollow.json().path("kind").asText()).isEqualTo("Status");
    assertThat(hollow.json().path("message").asText()).contains("hollow node \"logs-2\"");
    // the viewer may read logs; a node credential may not (as upstream's node authorizer)
    String viewer = api.server().tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
    assertThat(api.call("GET", logPath, viewer, null, null).code()).isEqualTo(200);
    String nodeToken = api.server().tokens().nodeCredential("logs-1").token();
    assertForbidden(api.call("GET", logPath, nodeToken, null, null));

    if (!Kubectl.available()) {
      Assumptions.abort("kubectl is not installed: the logs were checked through the API only");
    }
    Kubectl.Result logs = api.kubectl().run("logs", processPod);
    assertThat(logs.exit()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("hello from talker\nsecond line\n");
    Kubectl.Result tail = api.kubectl().run("logs", "--tail=1", processPod);
    assertThat(tail.out()).isEqualTo("second line\n");
    Kubectl.Result none = api.kubectl().run("logs", hollowPod);
    assertThat(none.exit()).isNotZero();
    assertThat(none.err()).contains("Error from server (BadRequest)").contains("hollow node \"logs-2\"");

    long pid = Long.parseLong(api.pods("talker").stream().filter(p -> p.path("metadata").path("name").asText()
        .equals(processPod)).findFirst().orElseThrow().path("status").path("containerStatuses").get(0)
        .path("containerID").asText().substring("process://".length()));
    api.ok("DELETE", DS + "/talker", null, null);
    await("the pods gone").until(() -> api.pods("talker").isEmpty());
    await("the process gone").until(() -> !ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false));
  }

  // ---- helpers

  static String daemonSet(String name, String role, String command) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"nodeSelector":{"role":"%2$s"},"terminationGracePeriodSeconds":2,
               "containers":[{"name":"c","image":"busybox","command":%3$s}]}}}}
        """.formatted(name, role, command);
  }

  static String podOn(String app, String node) {
    return api.pods(app).stream().filter(p -> p.path("spec").path("nodeName").asText().equals(node))
        .findFirst().orElseThrow().path("metadata").path("name").asText();
  }

  static void assertForbidden(Response answer) {
    assertThat(answer.code()).as(answer.body()).isEqualTo(403);
    JsonNode status = answer.json();
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.path("code").asInt()).isEqualTo(403);
  }

  static JsonNode condition(JsonNode node, String type) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static String readyStatus(JsonNode node) {
    return condition(node, "Ready").path("status").asText();
  }

  static Set<String> unreachableEffects(JsonNode node) {
    Set<String> effects = new TreeSet<>();
    for (JsonNode t : node.path("spec").path("taints")) {
      if (t.path("key").asText().equals(NodeLifecycle.UNREACHABLE)) {
        effects.add(t.path("effect").asText());
      }
    }
    return effects;
  }
}
