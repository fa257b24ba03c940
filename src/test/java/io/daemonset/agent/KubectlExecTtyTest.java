package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.auth.Pki;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl exec -it} (issue 14, item 4): the command gets a terminal of the client's size, its stderr merged
 * into stdout as on a terminal, and a resize reaches it. The real kubectl runs on a terminal of its own (under
 * util-linux script, as a user's shell would give it); a resize in the middle of a session is driven over the
 * WebSocket protocol itself (v5.channel.k8s.io, channel 4). A terminal for a pod on a hollow node or for a
 * container the pod does not have gets a Status.
 */
class KubectlExecTtyTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  static TestControlPlane api;
  static String processPod;
  static String hollowPod;
  static ExecutorService executor;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    assumeTrue(onPath("script"), "util-linux script is not on the PATH");
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tty-test");
      t.setDaemon(true);
      return t;
    });
    api = TestControlPlane.start(tmp.resolve("plane"), "daemonset.node.heartbeat-grace = 1h");
    api.startAgent("tty-1", "--runtime", "process");
    api.startAgent("tty-2", "--runtime", "hollow");
    api.ok("POST", DS, "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"term"},
         "spec":{"selector":{"matchLabels":{"app":"term"}},
           "template":{"metadata":{"labels":{"app":"term"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}}}
        """);
    await("both pods ready").atMost(WAIT)
        .until(() -> api.pods("term").stream().filter(TestControlPlane::ready).count() == 2);
    processPod = podOn("tty-1");
    hollowPod = podOn("tty-2");
  }

  static String podOn(String node) {
    return api.pods("term").stream().filter(p -> p.path("spec").path("nodeName").asText().equals(node))
        .findFirst().orElseThrow().path("metadata").path("name").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  static boolean onPath(String command) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** kubectl with args, on a 40x100 terminal of its own; its exit code and everything the terminal showed. */
  static Kubectl.Result kubectlOnATerminal(String... args) throws Exception {
    Path home = Files.createTempDirectory(tmp, "home");
    StringBuilder line = new StringBuilder("stty rows 40 cols 100; exec kubectl --kubeconfig ")
        .append(Tty.quote(api.server().kubeconfigPath().toString()))
        .append(" --cache-dir ").append(Tty.quote(home.resolve("cache").toString()));
    for (String arg : args) {
      line.append(' ').append(Tty.quote(arg));
    }
    ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "-c", line.toString(), "/dev/null")
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(home.resolve("out").toFile());
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl exited").isTrue();
    return new Kubectl.Result(process.exitValue(), Files.readString(home.resolve("out")), "");
  }

  @Test
  void realKubectlGetsATerminalOfItsSizeWithStderrMerged() throws Exception {
    Kubectl.Result result = kubectlOnATerminal("exec", "-it", processPod, "--", "sh", "-c",
        "tty; stty size; echo to-stderr >&2; exit 4");
    assertThat(result.out()).contains("/dev/pts/").contains("40 100").contains("to-stderr");
    assertThat(result.exit()).as(result.out()).isEqualTo(4);
  }

  @Test
  void badTerminalRequestsGetAStatus() throws Exception {
    Kubectl.Result hollow = kubectlOnATerminal("exec", "-it", hollowPod, "--", "sh");
    assertThat(hollow.exit()).isNotZero();
    assertThat(hollow.out()).contains("hollow node \"tty-2\"");

    Kubectl.Result noContainer = kubectlOnATerminal("exec", "-it", processPod, "-c", "nope", "--", "sh");
    assertThat(noContainer.exit()).isNotZero();
    assertThat(noContainer.out()).contains("container nope is not valid for pod " + processPod);
  }

  @Test
  void aResizeInTheMiddleOfASessionReachesTheCommand() throws Exception {
    Session session = Session.open(processPod, List.of("sh"));
    try {
      session.send(4, "{\"Width\":100,\"Height\":40}");
      session.send(0, "stty size\n");
      await("the first size").atMost(WAIT).until(() -> session.stdout().contains("40 100"));
      session.send(4, "{\"Width\":132,\"Height\":50}");
      session.send(0, "stty size\n");
      await("the new size").atMost(WAIT).until(() -> session.stdout().contains("50 132"));
      session.send(0, "echo merged >&2; exit 7\n");
      JsonNode status = session.status().get(30, TimeUnit.SECONDS);
      assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
      assertThat(status.at("/details/causes/0/message").asText()).isEqualTo("7");
      assertThat(session.stdout()).contains("merged");
    } finally {
      session.close();
    }
  }

  /** One exec over the JDK's WebSocket client, as kubectl speaks it. */
  static final class Session implements WebSocket.Listener {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final CompletableFuture<JsonNode> status = new CompletableFuture<>();
    private WebSocket socket;

    static Session open(String pod, List<String> command) throws Exception {
      StringBuilder query = new StringBuilder("stdin=true&stdout=true&tty=true");
      for (String arg : command) {
        query.append("&command=").append(URLEncoder.encode(arg, StandardCharsets.UTF_8));
      }
      URI uri = URI.create(api.url().replaceFirst("^https", "wss") + "/api/v1/namespaces/default/pods/" + pod
          + "/exec?" + query);
      Session session = new Session();
      HttpClient client = HttpClient.newBuilder().executor(executor)
          .sslContext(Pki.clientSslContext(api.server().pki().caCertificate())).build();
      session.socket = client.newWebSocketBuilder().header("Authorization", "Bearer " + api.adminToken())
          .subprotocols("v5.channel.k8s.io").buildAsync(uri, session).get(30, TimeUnit.SECONDS);
      return session;
    }

    void send(int channel, String data) {
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      ByteBuffer message = ByteBuffer.allocate(bytes.length + 1).put((byte) channel).put(bytes).flip();
      socket.sendBinary(message, true).join();
    }

    synchronized String stdout() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    CompletableFuture<JsonNode> status() {
      return status;
    }

    @Override
    public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.writeBytes(bytes);
      if (last) {
        byte[] message = partial.toByteArray();
        partial.reset();
        if (message.length > 0 && message[0] == 1) {
          stdout.write(message, 1, message.length - 1);
        } else if (message.length > 0 && message[0] == 3) {
          status.complete(Json.read(new String(message, 1, message.length - 1, StandardCharsets.UTF_8),
              JsonNode.class));
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      status.completeExceptionally(error);
    }

    void close() {
      socket.abort();
    }
  }
}
