package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.agent.ApiTarget;
import io.daemonset.testing.JarProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console behind a load balancer: two real member JVMs sharing one identity (data directory) on PostgreSQL. A
 * session signed in on one member is valid on the other, and signing out on the other ends it on the first (the
 * sessions live in the cluster's Distributed Data, not in a member).
 */
class ConsoleAcrossMembersIT {
  private static final Pattern SESSION = Pattern.compile("ds_console=([^;]*);");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path work;
  String schema;
  final List<JarProcess> members = new ArrayList<>();
  final int[] clusterPorts = new int[2];
  final int[] apiPorts = new int[2];
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  HttpClient http;

  @BeforeEach
  void database() {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    for (int i = 0; i < 2; i++) {
      clusterPorts[i] = JarProcess.freePort();
      apiPorts[i] = JarProcess.freePort();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (JarProcess p : members) {
      p.kill();
    }
    executor.shutdownNow();
    if (schema != null) {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Test
  void aSessionSignedInOnOneMemberServesOnTheOtherAndSigningOutThereEndsIt() throws Exception {
    Path data = work.resolve("data");
    startMember(0, data);
    startMember(1, data);
    Path kubeconfig = data.resolve("kubeconfig");
    JarProcess.await("the shared kubeconfig", Duration.ofMinutes(3),
        () -> Files.exists(kubeconfig) ? "yes" : "", "yes"::equals, members.toArray(JarProcess[]::new));
    ApiTarget admin = ApiTarget.fromKubeconfig(kubeconfig, null);
    http = HttpClient.newBuilder().sslContext(admin.sslContext()).executor(executor)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    for (int i = 0; i < 2; i++) {
      int member = i;
      JarProcess.await("member " + i + " serving the console", Duration.ofMinutes(3),
          () -> String.valueOf(statusOrZero(member, "/console/login")), "200"::equals,
          members.toArray(JarProcess[]::new));
    }

    HttpResponse<String> signIn = send(0, HttpRequest.newBuilder(uri(0, "/console/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(admin.token(), StandardCharsets.UTF_8))));
    assertThat(signIn.statusCode()).as("sign-in on member 0").isBetween(300, 399);
    String cookie = signIn.headers().allValues("Set-Cookie").stream().map(SESSION::matcher).filter(Matcher::find)
        .map(m -> m.group(1)).findFirst().orElseThrow();

    // member 1 never saw the sign-in: it finds the session in the cluster
    HttpResponse<String> overview = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> page(1, cookie), r -> r.statusCode() == 200);
    assertThat(overview.body()).contains("Signed in as");
    Matcher csrf = CSRF.matcher(overview.body());
    assertThat(csrf.find()).isTrue();

    HttpResponse<String> signOut = send(1, HttpRequest.newBuilder(uri(1, "/console/logout"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "ds_console=" + cookie)
        .header("Origin", "https://127.0.0.1:" + apiPorts[1])
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
    assertThat(signOut.statusCode()).as("sign-out on member 1").isBetween(300, 399);

    // member 0 signed the session in and held it: it must now send the same cookie back to the sign-in form
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> page(0, cookie), r -> r.statusCode() / 100 == 3
            && r.headers().firstValue("Location").orElse("").endsWith("/console/login"));
  }

  private HttpResponse<String> page(int member, String session) throws Exception {
    return send(member, HttpRequest.newBuilder(uri(member, "/console/overview")).header("Cookie", "ds_console=" + session)
        .GET());
  }

  private int statusOrZero(int member, String path) {
    try {
      return send(member, HttpRequest.newBuilder(uri(member, path)).GET()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  private HttpResponse<String> send(int member, HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(int member, String path) {
    return URI.create("https://127.0.0.1:" + apiPorts[member] + path);
  }

  private void startMember(int i, Path data) {
    List<String> args = List.of("serve", "--data-dir", data.toString(),
        "--db-url", PostgresTestDatabase.URL, "--db-user", PostgresTestDatabase.USER,
        "--db-password", PostgresTestDatabase.PASSWORD,
        "--api-port", String.valueOf(apiPorts[i]), "--cluster-port", String.valueOf(clusterPorts[i]),
        "--management-port", "0", "--seed-nodes", "127.0.0.1:" + clusterPorts[0]);
    members.add(JarProcess.start(work.resolve("member-" + i + ".log"), List.of("-Xmx256m"),
        Map.of("DS_DB_SCHEMA", schema), args));
  }
}
