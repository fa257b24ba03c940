package io.daemonset.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.agent.ApiTarget;
import io.daemonset.model.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark's driver: a client from outside the control plane, as kubectl is (HTTPS, admin token, JSON), with
 * its own small executor so it adds no thread per request.
 */
final class BenchClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = Json.mapper();
  private final ApiTarget target;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "bench-client");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http;

  BenchClient(ApiTarget target) {
    this.target = target;
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(60));
    if (target.sslContext() != null) {
      builder.sslContext(target.sslContext());
    }
    this.http = builder.build();
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return call("GET", path, null, null);
  }

  JsonNode post(String path, Object body) throws IOException, InterruptedException {
    return call("POST", path, "application/json", MAPPER.writeValueAsBytes(body));
  }

  JsonNode mergePatch(String path, String json) throws IOException, InterruptedException {
    return call("PATCH", path, "application/merge-patch+json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private JsonNode call(String method, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path, null)).timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json").header("Authorization", "Bearer " + target.token())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + ": " + response.statusCode() + " " + new String(response.body()));
    }
    return MAPPER.readTree(response.body());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
