package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ConfigMaps and Secrets this node's pods reference, fetched from the API by name (the node authorizer lets an
 * agent read only those), kept for {@link PodConfig} and refreshed by {@link #refresh()} every few seconds, so an
 * edit reaches mounted files within seconds (upstream's kubelet: up to a minute). A missing object is cached as
 * missing until the next refresh.
 */
public final class ConfigCache implements PodConfig.Lookup {
  private final ApiClient client;
  private final Map<String, Optional<Map<String, byte[]>>> objects = new ConcurrentHashMap<>();

  private java.util.concurrent.ScheduledExecutorService refresher;

  public ConfigCache(ApiClient client) {
    this.client = client;
  }

  /**
   * Refreshes every period on a thread of its own (fetching blocks): for the hollow runtime, whose shared timers
   * must not wait on the API. The process runtime refreshes from its own timer instead ({@link #refresh()}).
   */
  public synchronized ConfigCache refreshEvery(java.time.Duration period) {
    if (refresher == null) {
      refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-refresh");
        t.setDaemon(true);
        return t;
      });
      refresher.scheduleWithFixedDelay(this::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Stops refreshing (if {@link #refreshEvery} started it). */
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  @Override
  public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
    return objects.computeIfAbsent(key("configmaps", namespace, name), this::fetch);
  }

  @Override
  public Optional<Map<String, byte[]>> secret(String namespace, String name) {
    return objects.computeIfAbsent(key("secrets", namespace, name), this::fetch);
  }

  /** Fetches every object asked for so far again (blocking; run on a timer thread, never under a pod's lock). */
  public void refresh() {
    for (String key : objects.keySet()) {
      try {
        objects.put(key, fetch(key));
      } catch (RuntimeException e) {
        // keep the last answer; the next refresh tries again
      }
    }
  }

  private static String key(String resource, String namespace, String name) {
    return resource + "/" + namespace + "/" + name;
  }

  private Optional<Map<String, byte[]>> fetch(String key) {
    String[] parts = key.split("/", 3);
    try {
      JsonNode object = client.getObject("/api/v1/namespaces/" + parts[1] + "/" + parts[0] + "/" + parts[2])
          .get(ApiClient.REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return Optional.of(data(parts[0].equals("secrets"), object));
    } catch (Exception e) {
      // 404, 403 (not referenced by a pod of this node yet) or unreachable: missing for now
      return Optional.empty();
    }
  }

  static Map<String, byte[]> data(boolean secret, JsonNode object) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    object.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), secret
        ? Base64.getDecoder().decode(e.getValue().asText()) : e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
    object.path("binaryData").fields().forEachRemaining(e -> data.put(e.getKey(),
        Base64.getDecoder().decode(e.getValue().asText())));
    return data;
  }
}
