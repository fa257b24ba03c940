package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.daemonset.auth.Kubeconfig;
import io.daemonset.auth.Pki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig parsing, on what the API server itself writes, and TLS with the CA it holds. */
class ApiTargetTest {
  @TempDir Path dir;

  @Test
  void readsTheKubeconfigTheApiServerWritesAndTrustsItsCa() throws Exception {
    Pki pki = Pki.loadOrCreate(dir.resolve("pki"), List.of());
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(pki.serverSslContext()));
    List<String> auth = new CopyOnWriteArrayList<>();
    server.createContext("/version", ex -> {
      auth.add(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      Path kubeconfig = dir.resolve("kubeconfig");
      Kubeconfig.write(kubeconfig, url, pki.caPem(),
          List.of(new Kubeconfig.User("admin", "admin-token"), new Kubeconfig.User("viewer", "viewer-token")));

      ApiTarget current = ApiTarget.fromKubeconfig(kubeconfig, null);
      assertThat(current.server()).isEqualTo(URI.create(url));
      assertThat(current.token()).isEqualTo("admin-token");
      ApiTarget viewer = ApiTarget.fromKubeconfig(kubeconfig, "daemonset-viewer");
      assertThat(viewer.token()).isEqualTo("viewer-token");

      HttpClient client = ApiClient.newHttpClient(current, null);
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(current.resolve("/version", null))
          .header("Authorization", "Bearer " + current.token()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(auth).containsExactly("Bearer admin-token");

      // --server/--ca-file/--token-file reach the same server
      Path ca = dir.resolve("ca.crt");
      Files.writeString(ca, pki.caPem());
      Path token = dir.resolve("token");
      Files.writeString(token, "file-token\n");
      ApiTarget files = ApiTarget.fromFiles(url + "/", ca, token);
      assertThat(files.server()).isEqualTo(URI.create(url));
      assertThat(files.token()).isEqualTo("file-token");
      assertThat(ApiClient.newHttpClient(files, null).send(HttpRequest.newBuilder(files.resolve("/version", null))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      // a CA that did not sign the server's certificate is refused
      Pki other = Pki.loadOrCreate(dir.resolve("other"), List.of());
      ApiTarget wrong = ApiTarget.of(url, other.caCertificate(), "t");
      assertThatThrownBy(() -> ApiClient.newHttpClient(wrong, null).send(
          HttpRequest.newBuilder(wrong.resolve("/version", null)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void caFileAndTokenFileRelativeToTheKubeconfig() throws Exception {
    Pki pki = Pki.loadOrCreate(dir.resolve("pki"), List.of());
    Files.writeString(dir.resolve("my-ca.crt"), pki.caPem());
    Files.writeString(dir.resolve("tok"), "t0ken\n");
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://10.0.0.1:6443/
            certificate-authority: my-ca.crt
        users:
        - name: u
          user:
            tokenFile: tok
        contexts:
        - name: only
          context: {cluster: c, user: u}
        """;
    ApiTarget target = ApiTarget.parseKubeconfig(yaml, dir, null);
    assertThat(target.server()).isEqualTo(URI.create("https://10.0.0.1:6443"));
    assertThat(target.token()).isEqualTo("t0ken");
    assertThat(target.sslContext()).isNotNull();
    assertThat(target.resolve("/api/v1/pods", "watch=true").toString())
        .isEqualTo("https://10.0.0.1:6443/api/v1/pods?watch=true");
  }

  @Test
  void plainHttpNeedsNoCaAndProblemsAreNamed() {
    String http = """
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:8080"}}]
        users: [{name: u, user: {token: abc}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """;
    ApiTarget target = ApiTarget.parseKubeconfig(http, null, null);
    assertThat(target.sslContext()).isNull();
    assertThat(target.token()).isEqualTo("abc");
    assertThatThrownBy(() -> ApiTarget.parseKubeconfig(http, null, "y"))
        .hasMessage("the kubeconfig has no context \"y\"");
    assertThatThrownBy(() -> ApiTarget.parseKubeconfig(http.replace("http://", "https://"), null, null))
        .hasMessageContaining("needs a CA");
    assertThatThrownBy(() -> ApiTarget.parseKubeconfig("clusters: []\ncontexts: []\n", null, null))
        .hasMessageContaining("no current-context");
    assertThatThrownBy(() -> ApiTarget.parseKubeconfig(": : :", null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiTarget.fromFiles("ftp://x", null, null)).hasMessageContaining("http(s)://");
  }
}
