package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogServerTest {
  @TempDir Path dir;

  @Test
  void servesAContainersLogWithTailLinesAndLimitBytes() throws Exception {
    Path log = dir.resolve("c.log");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      text.append("line ").append(i).append('\n');
    }
    Files.writeString(log, text);
    try (LogServer server = LogServer.start("127.0.0.1", 0, "127.0.0.1",
        (ns, pod, container) -> ns.equals("default") && pod.equals("p") && container.equals("c")
            ? Optional.of(log) : Optional.empty())) {
      assertThat(server.endpoint()).isEqualTo("http://127.0.0.1:" + server.port());
      HttpClient client = HttpClient.newHttpClient();
      assertThat(get(client, server, "/containerLogs/default/p/c").body()).isEqualTo(text.toString());
      assertThat(get(client, server, "/containerLogs/default/p/c?tailLines=2").body())
          .isEqualTo("line 4999\nline 5000\n");
      assertThat(get(client, server, "/containerLogs/default/p/c?tailLines=2&limitBytes=6").body()).isEqualTo("line 4");
      assertThat(get(client, server, "/containerLogs/default/p/c?limitBytes=7").body()).isEqualTo("line 1\n");
      assertThat(get(client, server, "/containerLogs/default/p/c?tailLines=0").body()).isEmpty();
      assertThat(get(client, server, "/containerLogs/default/p/c?tailLines=99999").body()).isEqualTo(text.toString());
      HttpResponse<String> missing = get(client, server, "/containerLogs/default/p/other");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("container \"other\" in pod \"p\"");
      assertThat(get(client, server, "/containerLogs/default/p").statusCode()).isEqualTo(404);
      assertThat(get(client, server, "/containerLogs/default/p/c?tailLines=x").statusCode()).isEqualTo(400);
      assertThat(get(client, server, "/healthz").body()).isEqualTo("ok\n");
    }
  }

  @Test
  void answersWhatWasWrittenSinceAnOffsetAndWhereItEnds() throws Exception {
    Path log = dir.resolve("c.log");
    Files.writeString(log, "one\ntwo\n");
    try (LogServer server = LogServer.start("127.0.0.1", 0, "127.0.0.1", (ns, pod, container) -> Optional.of(log))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> tail = get(client, server, "/containerLogs/default/p/c?tailLines=1");
      assertThat(tail.body()).isEqualTo("two\n");
      assertThat(tail.headers().firstValue(LogServer.END_HEADER)).hasValue("8");
      HttpResponse<String> nothingYet = get(client, server, "/containerLogs/default/p/c?offset=8");
      assertThat(nothingYet.body()).isEmpty();
      assertThat(nothingYet.headers().firstValue(LogServer.END_HEADER)).hasValue("8");
      Files.writeString(log, "three\n", java.nio.file.StandardOpenOption.APPEND);
      HttpResponse<String> next = get(client, server, "/containerLogs/default/p/c?offset=8");
      assertThat(next.body()).isEqualTo("three\n");
      assertThat(next.headers().firstValue(LogServer.END_HEADER)).hasValue("14");
      // a log shorter than the offset was cut: it is answered from its start
      Files.writeString(log, "new\n");
      HttpResponse<String> restarted = get(client, server, "/containerLogs/default/p/c?offset=14");
      assertThat(restarted.body()).isEqualTo("new\n");
      assertThat(restarted.headers().firstValue(LogServer.END_HEADER)).hasValue("4");
    }
  }

  private static HttpResponse<String> get(HttpClient client, LogServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
