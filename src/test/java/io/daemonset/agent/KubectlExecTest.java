package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl exec} (issue 14, item 4) with the real kubectl (WebSocket, v5.channel.k8s.io) through the API server
 * to a real process agent: the command runs with the container's environment and working directory; stdin (and its
 * close), stdout, stderr and the exit code reach kubectl; bad requests get a Status; the agent's exec port runs
 * nothing for a connection without a ticket signed with the node's credential (even over TLS with the API server's
 * client certificate).
 */
class KubectlExecTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static Kubectl kubectl;
  static String processPod;
  static String hollowPod;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    kubectl = api.kubectl();
    agent("exec-1", "process");
    agent("exec-2", "hollow");
    api.ok("POST", DS, "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"shell"},
         "spec":{"selector":{"matchLabels":{"app":"shell"}},
           "template":{"metadata":{"labels":{"app":"shell"}},
             "spec":{"terminationGracePeriodSeconds":2,
               "containers":[{"name":"c","image":"busybox","command":["sleep","3600"],"workingDir":"wd",
                 "env":[{"name":"GREETING","value":"hello from the container"}]}]}}}}
        """);
    await("both pods ready").atMost(WAIT)
        .until(() -> api.pods("shell").stream().filter(TestControlPlane::ready).count() == 2);
    processPod = podOn("shell", "exec-1");
    hollowPod = podOn("shell", "exec-2");
  }

  static String podOn(String app, String node) {
    return api.pods(app).stream().filter(p -> p.path("spec").path("nodeName").asText().equals(node))
        .findFirst().orElseThrow().path("metadata").path("name").asText();
  }

  static void agent(String name, String runtime) throws Exception {
    api.startAgent(name, "--runtime", runtime);
  }


  @Test
  void runsInTheContainersEnvironmentWithItsStreamsAndExitCode() {
    Kubectl.Result echo = kubectl.run("exec", processPod, "--", "sh", "-c", "echo $GREETING");
    assertThat(echo.exit()).as(echo.all()).isZero();
    assertThat(echo.out()).isEqualTo("hello from the container\n");

    assertThat(kubectl.run("exec", processPod, "--", "pwd").out().trim()).endsWith("/wd");

    Kubectl.Result cat = kubectl.run("line one\nline two\n", Map.of(), "exec", "-i", processPod, "--", "cat");
    assertThat(cat.exit()).as(cat.all()).isZero();
    assertThat(cat.out()).isEqualTo("line one\nline two\n");

    Kubectl.Result streams = kubectl.run("exec", processPod, "--", "sh", "-c", "echo out; echo err >&2");
    assertThat(streams.out()).isEqualTo("out\n");
    assertThat(streams.err()).isEqualTo("err\n");

    Kubectl.Result failed = kubectl.run("exec", processPod, "--", "sh", "-c", "echo partial; exit 3");
    assertThat(failed.exit()).isEqualTo(3);
    assertThat(failed.out()).isEqualTo("partial\n");
    assertThat(failed.err()).contains("command terminated with exit code 3");
  }

  static boolean running(String commandLine) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").endsWith(commandLine));
  }

  @Test
  void aClientThatGoesAwayTakesItsCommandAlong() {
    try (Kubectl.Running exec = kubectl.start("exec", processPod, "--", "sleep", "317")) {
      await("the command running").atMost(WAIT).until(() -> running("/sleep 317"));
      exec.stop();
    }
    await("the command gone with its client").atMost(WAIT).until(() -> !running("/sleep 317"));
  }

  @Test
  void badRequestsGetAStatus() {
    Kubectl.Result wrongContainer = kubectl.run("exec", processPod, "-c", "nope", "--", "true");
    assertThat(wrongContainer.exit()).isNotZero();
    assertThat(wrongContainer.err()).contains("container nope is not valid for pod " + processPod);

    Kubectl.Result hollow = kubectl.run("exec", hollowPod, "--", "true");
    assertThat(hollow.exit()).isNotZero();
    assertThat(hollow.err()).contains("hollow node \"exec-2\"");

    Kubectl.Result missing = kubectl.run("exec", processPod, "--", "no-such-command-here");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("no-such-command-here");

    Kubectl.Result noPod = kubectl.run("exec", "no-such-pod", "--", "true");
    assertThat(noPod.err()).contains("NotFound");

    // a plain GET is no upgrade; a viewer may not exec (upstream authorizes the WebSocket GET as create)
    Response plain = api.call("GET", "/api/v1/namespaces/default/pods/" + processPod + "/exec?command=true&stdout=1",
        api.adminToken(), null, null);
    assertThat(plain.code()).isEqualTo(400);
    assertThat(plain.json().path("message").asText()).contains("Upgrade request required");
    String viewer = api.server().tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
    Response viewed = api.call("GET", "/api/v1/namespaces/default/pods/" + processPod + "/exec?command=true&stdout=1",
        viewer, null, null);
    assertThat(viewed.code()).isEqualTo(403);
    assertThat(viewed.json().path("message").asText()).contains("cannot create resource \"pods/exec\"");
  }

  @Test
  void kubectl129SpeaksSpdyUnlessToldToUseWebSockets() throws Exception {
    Path v129 = binDir().resolve("kubectl.1.29");
    assumeTrue(Files.isExecutable(v129), "kubectl 1.29 not found next to kubectl");
    Kubectl old = new Kubectl(api.server().kubeconfigPath(), tmp.resolve("k129"), v129.toString());
    Kubectl.Result spdy = old.run("exec", processPod, "--", "true");
    assertThat(spdy.exit()).isNotZero();
    assertThat(spdy.err()).contains("SPDY is not supported").contains("KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true");
    Kubectl.Result ws = old.run(null, Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "true"), "exec", processPod, "--",
        "sh", "-c", "echo $GREETING");
    assertThat(ws.exit()).as(ws.all()).isZero();
    assertThat(ws.out()).isEqualTo("hello from the container\n");
  }

  @Test
  void theAgentsExecPortRunsNothingWithoutASignedTicket() throws Exception {
    JsonNode node = api.read("/api/v1/nodes/exec-1");
    String endpoint = node.path("metadata").path("annotations").path("daemonset.io/agent-exec-endpoint").asText();
    Path marker = tmp.resolve("must-not-exist");
    String forged = "{\"namespace\":\"default\",\"pod\":\"" + processPod + "\",\"container\":\"c\",\"command\":"
        + "[\"touch\",\"" + marker + "\"],\"stdin\":false,\"stdout\":true,\"stderr\":true,\"tty\":false,"
        + "\"issuedAtMillis\":" + System.currentTimeMillis() + ",\"nonce\":\"x\"}";
    byte[] frame = new byte[32 + forged.length()];
    System.arraycopy(forged.getBytes(StandardCharsets.UTF_8), 0, frame, 32, forged.length());
    int colon = endpoint.lastIndexOf(':');
    // over TLS with the API server's own client certificate: even the API server's connection needs a signed ticket
    javax.net.ssl.SSLContext apiServerTls = api.server().clusterCa().kubeletClientContext();
    try (Socket socket = apiServerTls.getSocketFactory().createSocket(endpoint.substring(0, colon),
        Integer.parseInt(endpoint.substring(colon + 1)))) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(frame.length);
      out.write(frame);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readInt()];
      in.readFully(answer);
      assertThat(answer[0]).isEqualTo((byte) 3);
      JsonNode status = Json.read(new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8), JsonNode.class);
      assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
      assertThat(status.path("message").asText()).contains("not signed with this node's credential");
    }
    assertThat(marker).doesNotExist();
  }

  /** Where the real kubectl behind the dispatcher on the PATH lives (kubectl.1.29 … sit next to it). */
  static Path binDir() throws Exception {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toRealPath().getParent();
      }
    }
    return Path.of(".");
  }
}
