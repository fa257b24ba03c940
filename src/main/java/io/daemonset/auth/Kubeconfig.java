package io.daemonset.auth;

import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a kubeconfig for this API server: one cluster (server URL and, over https, the CA as
 * certificate-authority-data), one user and one context per token, the first context current. So
 * {@code kubectl --kubeconfig <data-dir>/kubeconfig get nodes} works at once, and
 * {@code --context daemonset-viewer} acts as the read-only viewer.
 */
public final class Kubeconfig {
  public static final String FILE_NAME = "kubeconfig";
  public static final String CLUSTER = "daemonset";

  /** A user of the kubeconfig: its name and bearer token. */
  public record User(String name, String token) {
    public String contextName() {
      return CLUSTER + "-" + name;
    }
  }

  private Kubeconfig() {}

  /** The kubeconfig YAML; caPem null for plain http. The first user's context is current. */
  public static String render(String serverUrl, String caPem, List<User> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a kubeconfig needs at least one user");
    }
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("server", serverUrl);
    if (caPem != null) {
      cluster.put("certificate-authority-data",
          Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
    }
    List<Object> contexts = new ArrayList<>();
    List<Object> userEntries = new ArrayList<>();
    for (User user : users) {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("cluster", CLUSTER);
      context.put("user", user.name());
      context.put("namespace", "default");
      contexts.add(named(user.contextName(), "context", context));
      userEntries.add(named(user.name(), "user", Map.of("token", user.token())));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    config.put("clusters", List.of(named(CLUSTER, "cluster", cluster)));
    config.put("contexts", contexts);
    config.put("current-context", users.get(0).contextName());
    config.put("users", userEntries);
    config.put("preferences", Map.of());
    return Json.writeYaml(config);
  }

  /** Writes render(...) to path with mode 0600 (it holds tokens). */
  public static void write(Path path, String serverUrl, String caPem, List<User> users) {
    try {
      DataFiles.write(path, render(serverUrl, caPem, users), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** https://127.0.0.1:6443 for a wildcard bind; IPv6 literals bracketed. */
  public static String serverUrl(boolean https, String bindHost, int port) {
    String host = bindHost;
    if (host.isEmpty() || host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (https ? "https://" : "http://") + host + ":" + port;
  }

  private static Map<String, Object> named(String name, String key, Object value) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put(key, value);
    return entry;
  }
}
