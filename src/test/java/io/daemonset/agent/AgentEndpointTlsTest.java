package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.auth.AgentTls;
import io.daemonset.auth.ClusterCa;
import io.daemonset.auth.Pki;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's endpoints for logs, stats and exec are served as kubelet's authenticated port is (issue 14, item 4):
 * over TLS with a serving certificate the cluster CA issued to the agent when it registered, answering only the API
 * server's client certificate. A plain HTTP request, a TLS client without a certificate and one with a certificate
 * from another CA are all refused, while kubectl logs, exec and top keep working through the API server; the
 * serving-certificate endpoint issues a node's certificate to that node's agent only.
 */
class AgentEndpointTlsTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static Kubectl kubectl;
  static String pod;
  static URI logs;
  static String execEndpoint;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp.resolve("plane"), "daemonset.node.heartbeat-grace = 1h");
    kubectl = api.kubectl();
    api.startAgent("tls-1", "--runtime", "process");
    api.ok("POST", DS, "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"talker"},
         "spec":{"selector":{"matchLabels":{"app":"talker"}},
           "template":{"metadata":{"labels":{"app":"talker"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "containers":[{"name":"c","image":"busybox","command":["sh","-c","echo hello over tls; sleep 3600"]}]}}}}
        """);
    await("the pod ready").atMost(WAIT).until(() -> api.pods("talker").stream().anyMatch(TestControlPlane::ready));
    pod = api.pods("talker").get(0).path("metadata").path("name").asText();
    JsonNode annotations = api.read("/api/v1/nodes/tls-1").path("metadata").path("annotations");
    logs = URI.create(annotations.path("daemonset.io/agent-endpoint").asText() + "/containerLogs/default/" + pod + "/c");
    execEndpoint = annotations.path("daemonset.io/agent-exec-endpoint").asText();
  }

  @Test
  void kubectlLogsExecAndTopReachTheAgentThroughTheApiServer() {
    assertThat(logs.getScheme()).isEqualTo("https");
    await("the log line").atMost(WAIT).until(() -> kubectl.run("logs", pod).out().contains("hello over tls"));
    Kubectl.Result exec = kubectl.run("exec", pod, "--", "echo", "exec over tls");
    assertThat(exec.exit()).as(exec.all()).isZero();
    assertThat(exec.out()).isEqualTo("exec over tls\n");
    await("top node from the agent's stats").atMost(WAIT).until(() -> kubectl.run("top", "node", "tls-1").exit() == 0);
  }

  @Test
  void theApiServersClientCertificateIsAnswered() throws Exception {
    HttpResponse<String> answer = get(api.server().clusterCa().kubeletClientContext(), logs);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("hello over tls");
  }

  @Test
  void aPlainHttpRequestIsRefused() {
    URI plain = URI.create(logs.toString().replaceFirst("^https:", "http:"));
    assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
        .send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTlsClientWithoutACertificateIsRefused() {
    SSLContext noCertificate = Pki.clientSslContext(api.server().clusterCa().certificate());
    assertThatThrownBy(() -> get(noCertificate, logs)).isInstanceOf(IOException.class);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    Path other = tmp.resolve("other-ca");
    Files.createDirectories(other);
    Pki.loadOrCreate(other, List.of());
    ClusterCa.loadOrCreate(other).kubeletClientContext(); // writes its apiserver-kubelet-client.crt/.key
    SSLContext foreign = context(other.resolve("apiserver-kubelet-client.crt"),
        other.resolve("apiserver-kubelet-client.key"), api.server().clusterCa().certificate());
    assertThatThrownBy(() -> get(foreign, logs)).isInstanceOf(IOException.class);
  }

  @Test
  void theExecPortRunsNothingForAPlainConnection() throws Exception {
    Path marker = tmp.resolve("plain-exec-marker");
    String forged = "{\"namespace\":\"default\",\"pod\":\"" + pod + "\",\"container\":\"c\",\"command\":"
        + "[\"touch\",\"" + marker + "\"],\"stdin\":false,\"stdout\":true,\"stderr\":true,\"tty\":false,"
        + "\"issuedAtMillis\":" + System.currentTimeMillis() + ",\"nonce\":\"plain\"}";
    byte[] frame = new byte[32 + forged.length()];
    System.arraycopy(forged.getBytes(StandardCharsets.UTF_8), 0, frame, 32, forged.length());
    int colon = execEndpoint.lastIndexOf(':');
    try (Socket socket = new Socket(execEndpoint.substring(0, colon),
        Integer.parseInt(execEndpoint.substring(colon + 1)))) {
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(frame.length);
      out.write(frame);
      out.flush();
      // the agent answers a plain connection with nothing but the end of the TLS handshake it expected
      byte[] answer = socket.getInputStream().readNBytes(64);
      assertThat(answer.length == 0 || answer[0] == 0x15).as("no frame, at most a TLS alert").isTrue();
    }
    assertThat(marker).doesNotExist();
  }

  @Test
  void aNodesServingCertificateGoesToThatNodesAgentOnly() {
    String csr = new AgentTls().csrPem("tls-1");
    String body = Json.write(Map.of("nodeName", "tls-1", "csr", csr, "addresses", List.of("127.0.0.1")));
    String path = "/bootstrap/node-serving-certificate";

    Response own = api.call("POST", path, api.nodeToken("tls-1"), "application/json", body);
    assertThat(own.code()).as(own.body()).isEqualTo(201);
    assertThat(own.json().path("certificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(certificate(own.json().path("certificate").asText()).getSubjectX500Principal().getName())
        .contains("CN=system:node:tls-1");

    Response another = api.call("POST", path, api.nodeToken("tls-2"), "application/json", body);
    assertThat(another.code()).isEqualTo(403);
    assertThat(another.json().path("message").asText()).contains("only that node's agent may");
    Response viewer = api.call("POST", path, api.viewerToken(), "application/json", body);
    assertThat(viewer.code()).isEqualTo(403);

    Response garbage = api.call("POST", path, api.nodeToken("tls-1"), "application/json",
        Json.write(Map.of("nodeName", "tls-1", "csr", "not a csr", "addresses", List.of("127.0.0.1"))));
    assertThat(garbage.code()).isEqualTo(400);
    assertThat(garbage.json().path("message").asText()).contains("csr");
    Response noAddress = api.call("POST", path, api.nodeToken("tls-1"), "application/json",
        Json.write(Map.of("nodeName", "tls-1", "csr", csr, "addresses", List.of())));
    assertThat(noAddress.code()).isEqualTo(400);
    assertThat(noAddress.json().path("message").asText()).contains("addresses");
  }

  static HttpResponse<String> get(SSLContext tls, URI uri) throws Exception {
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()
        .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Presents certFile/keyFile, trusts ca. */
  static SSLContext context(Path certFile, Path keyFile, X509Certificate ca) throws Exception {
    PrivateKey key;
    try (Reader reader = Files.newBufferedReader(keyFile); PEMParser parser = new PEMParser(reader)) {
      key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, new char[0], new Certificate[] {certificate(Files.readString(certFile))});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), ClusterCa.trustOnly(ca).getTrustManagers(), null);
    return context;
  }
}
