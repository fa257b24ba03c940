package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch streams over HTTPS: initial events, changes from a resourceVersion, selectors, Tables, bookmarks, ends. */
class WatchRouteTest {
  static final String DS = DaemonSetRoutesTest.DS;

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ApiWithAgents.start(tmp,
        TestControlPlane.Options.DEFAULTS.withConfig(HttpAgents.CONFIG).withRoutes(
            ResourceRoutes.Settings.DEFAULT.withBookmarkInterval(Duration.ofMillis(300))), "w1");
    cluster = fixture.cluster();
    agents = fixture.agents();
  }

  /** An open watch: its events as they arrive, and the end of the stream as a "CLOSED" marker. */
  static final class Watch implements AutoCloseable {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final HttpResponse<Stream<String>> response;

    Watch(String path, String accept) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.server().url() + path))
          .header("Authorization", "Bearer " + cluster.adminToken());
      if (accept != null) {
        request.header("Accept", accept);
      }
      response = cluster.http().send(request.build(), HttpResponse.BodyHandlers.ofLines());
      Thread reader = new Thread(() -> {
        try {
          response.body().forEach(line -> events.add(Json.read(line, JsonNode.class)));
        } catch (RuntimeException closed) {
          // closed by the test
        }
        events.add(Json.mapper().createObjectNode().put("type", "CLOSED"));
      });
      reader.setDaemon(true);
      reader.start();
    }

    JsonNode next() throws InterruptedException {
      JsonNode event = events.poll(20, TimeUnit.SECONDS);
      assertThat(event).as("an event within 20 s").isNotNull();
      return event;
    }

    /** The next event that is not a BOOKMARK. */
    JsonNode nextChange() throws InterruptedException {
      JsonNode event = next();
      while (event.path("type").asText().equals("BOOKMARK")) {
        event = next();
      }
      return event;
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  @Test
  void fromNowStartsWithAddedThenFollowsChanges() throws Exception {
    cluster.post(DS, DaemonSetRoutesTest.daemonSet("wa", "nginx:1"));
    try (Watch watch = new Watch(DS + "?watch=true&fieldSelector=metadata.name%3Dwa", null)) {
      assertThat(watch.response.statusCode()).isEqualTo(200);
      assertThat(watch.response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode added = watch.nextChange();
      assertThat(added.path("type").asText()).isEqualTo("ADDED");
      assertThat(added.at("/object/metadata/name").asText()).isEqualTo("wa");
      assertThat(added.at("/object/kind").asText()).isEqualTo("DaemonSet");
      cluster.patch(DS + "/wa", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
      JsonNode modified = watch.nextChange();
      while (modified.at("/object/metadata/labels/x").isMissingNode()) {
        assertThat(modified.path("type").asText()).isEqualTo("MODIFIED"); // status updates on the way
        modified = watch.nextChange();
      }
      assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
      assertThat(Long.parseLong(modified.at("/object/metadata/resourceVersion").asText()))
          .isGreaterThan(Long.parseLong(added.at("/object/metadata/resourceVersion").asText()));
      cluster.delete(DS + "/wa", null);
      JsonNode deleted = watch.nextChange();
      while (!deleted.path("type").asText().equals("DELETED")) {
        deleted = watch.nextChange();
      }
      assertThat(deleted.at("/object/metadata/name").asText()).isEqualTo("wa");
    }
  }

  @Test
  void fromAResourceVersionSendsOnlyLaterChangesAndEndsAtTheTimeout() throws Exception {
    JsonNode created = cluster.post(DS, DaemonSetRoutesTest.daemonSet("wb", "nginx:1")).json();
    String rv = created.at("/metadata/resourceVersion").asText();
    cluster.patch(DS + "/wb", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"step\":\"2\"}}}");
    try (Watch watch = new Watch(DS + "?watch=1&fieldSelector=metadata.name%3Dwb&timeoutSeconds=3&resourceVersion="
        + rv, null)) {
      JsonNode first = watch.nextChange();
      assertThat(first.path("type").asText()).isEqualTo("MODIFIED");
      assertThat(Long.parseLong(first.at("/object/metadata/resourceVersion").asText()))
          .isGreaterThan(Long.parseLong(rv));
      JsonNode event = watch.next();
      while (!event.path("type").asText().equals("CLOSED")) {
        assertThat(event.path("type").asText()).isIn("MODIFIED", "BOOKMARK");
        event = watch.next();
      }
    }
  }

  /**
   * A watch resumed further behind than the buffer a watcher may fall behind by gets its whole replay: it was ended
   * as soon as the replay filled that buffer, and a client that resumed from where it was got the next 1,000 changes
   * and was ended again (the hollow fleet's watch, six times in one converge).
   */
  @Test
  void aWatchResumedFurtherBehindThanItsBufferGetsItsWholeReplay() throws Exception {
    String configMaps = "/api/v1/namespaces/default/configmaps";
    String rv = cluster.read(configMaps).at("/metadata/resourceVersion").asText();
    int changes = WatchRoute.BUFFER + 500;
    java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < changes; i++) {
        String name = "burst-" + i;
        sent.add(senders.submit(() -> cluster.ok("POST", configMaps, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"data\":{\"a\":\"b\"}}")));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }
    List<JsonNode> events = cluster.ok("GET", configMaps + "?watch=true&timeoutSeconds=3&resourceVersion=" + rv,
        null, null).body().lines().map(line -> Json.read(line, JsonNode.class)).toList();
    assertThat(events).as("no ERROR: the watch ran to its timeout")
        .noneMatch(e -> e.path("type").asText().equals("ERROR"));
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("ADDED"))
        .map(e -> e.at("/object/metadata/name").asText()).filter(n -> n.startsWith("burst-")).distinct().count())
        .as("every ConfigMap created after the resourceVersion, in the one watch").isEqualTo(changes);
  }

  @Test
  void selectorsTurnLabelChangesIntoAddedAndDeleted() throws Exception {
    try (Watch watch = new Watch("/api/v1/nodes?watch=true&labelSelector=zone%3Da&resourceVersion="
        + cluster.get("/api/v1/nodes").json().at("/metadata/resourceVersion").asText(), null)) {
      cluster.patch("/api/v1/nodes/w1", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"zone\":\"a\"}}}");
      JsonNode added = watch.nextChange();
      assertThat(added.path("type").asText()).isEqualTo("ADDED");
      assertThat(added.at("/object/metadata/name").asText()).isEqualTo("w1");
      cluster.patch("/api/v1/nodes/w1", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"zone\":null}}}");
      JsonNode gone = watch.nextChange();
      assertThat(gone.path("type").asText()).isEqualTo("DELETED");
    }
  }

  @Test
  void tableWatchesSendColumnsOnceAndBookmarksWhenAsked() throws Exception {
    cluster.post(DS, DaemonSetRoutesTest.daemonSet("wt", "nginx:1"));
    String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    try (Watch watch = new Watch(DS + "?watch=true&fieldSelector=metadata.name%3Dwt&allowWatchBookmarks=true",
        accept)) {
      JsonNode first = watch.nextChange();
      assertThat(first.at("/object/kind").asText()).isEqualTo("Table");
      assertThat(first.at("/object/columnDefinitions")).isNotEmpty();
      assertThat(first.at("/object/rows/0/cells/0").asText()).isEqualTo("wt");
      cluster.patch(DS + "/wt", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
      JsonNode second = watch.nextChange();
      assertThat(second.at("/object/kind").asText()).isEqualTo("Table");
      assertThat(second.at("/object/columnDefinitions")).isEmpty();
      JsonNode bookmark = watch.next();
      while (!bookmark.path("type").asText().equals("BOOKMARK")) {
        bookmark = watch.next();
      }
      assertThat(bookmark.at("/object/metadata/resourceVersion").asText()).isNotEmpty();
    }
    try (Watch plain = new Watch(DS + "?watch=true&allowWatchBookmarks=true&resourceVersion="
        + cluster.get(DS).json().at("/metadata/resourceVersion").asText(), null)) {
      JsonNode bookmark = plain.next();
      while (!bookmark.path("type").asText().equals("BOOKMARK")) {
        bookmark = plain.next();
      }
      assertThat(bookmark.at("/object/kind").asText()).isEqualTo("DaemonSet");
      assertThat(bookmark.at("/object/apiVersion").asText()).isEqualTo("apps/v1");
    }
  }

  @Test
  void podsOfOneNodeAsAgentsWatchThem() throws Exception {
    String token = cluster.nodeToken("w1");
    HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.server().url()
        + "/api/v1/pods?watch=true&timeoutSeconds=2&fieldSelector=spec.nodeName%3Dw1"))
        .header("Authorization", "Bearer " + token).build();
    cluster.post(DS, DaemonSetRoutesTest.daemonSet("wp", "nginx:1"));
    await("a pod on w1").until(() -> cluster.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dwp").json()
        .path("items").size() == 1);
    List<String> lines = cluster.http().send(request, HttpResponse.BodyHandlers.ofLines()).body().toList();
    assertThat(lines).anySatisfy(line -> assertThat(Json.read(line, JsonNode.class).at("/object/metadata/name")
        .asText()).startsWith("wp-"));
    assertThat(lines).allSatisfy(line -> assertThat(Json.read(line, JsonNode.class).at("/object/spec/nodeName")
        .asText()).isEqualTo("w1"));
  }

  @Test
  void malformedResourceVersionIsABadRequest() {
    Response response = cluster.get(DS + "?watch=true&resourceVersion=abc");
    assertThat(response.code()).isEqualTo(400);
  }

  @Test
  void overWebSocketsAsTextOrBinaryK8sIo() throws Exception {
    cluster.post(DS, DaemonSetRoutesTest.daemonSet("ws", "nginx:1"));
    for (String protocol : List.of("", "binary.k8s.io")) {
      BlockingQueue<String> messages = new LinkedBlockingQueue<>();
      java.net.http.WebSocket.Builder builder = cluster.http().newWebSocketBuilder()
          .header("Authorization", "Bearer " + cluster.adminToken());
      if (!protocol.isEmpty()) {
        builder.subprotocols(protocol);
      }
      java.net.http.WebSocket socket = builder.buildAsync(URI.create(cluster.server().url().replace("https:", "wss:")
          + DS + "?watch=true&fieldSelector=metadata.name%3Dws"), new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                   boolean last) {
              messages.add("text " + data);
              ws.request(1);
              return null;
            }

            @Override
            public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws,
                                                                     java.nio.ByteBuffer data, boolean last) {
              byte[] bytes = new byte[data.remaining()];
              data.get(bytes);
              messages.add("binary " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
              ws.request(1);
              return null;
            }
          }).get(20, TimeUnit.SECONDS);
      try {
        assertThat(socket.getSubprotocol()).isEqualTo(protocol);
        String first = messages.poll(20, TimeUnit.SECONDS);
        assertThat(first).startsWith(protocol.isEmpty() ? "text " : "binary ");
        JsonNode event = Json.read(first.substring(first.indexOf(' ') + 1), JsonNode.class);
        assertThat(event.path("type").asText()).isEqualTo("ADDED");
        assertThat(event.at("/object/metadata/name").asText()).isEqualTo("ws");
      } finally {
        socket.abort();
      }
    }
  }
}
