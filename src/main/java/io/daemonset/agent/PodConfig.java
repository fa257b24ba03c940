package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Container;
import io.daemonset.model.EnvVar;
import io.daemonset.model.Pod;
import io.daemonset.model.Volume;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a container takes from ConfigMaps and Secrets, as the kubelet resolves it (pure, given a {@link Lookup}):
 * environment from envFrom (prefix, optional) and from valueFrom configMapKeyRef/secretKeyRef (optional), and the
 * files of configMap, secret, downwardAPI and projected volumes (items, mode, defaultMode, optional). A missing
 * non-optional object or key is the reason a container waits with CreateContainerConfigError.
 */
public final class PodConfig {
  private PodConfig() {}

  /** The data of the ConfigMaps and Secrets of a namespace, values decoded; empty when the object is missing. */
  public interface Lookup {
    Optional<Map<String, byte[]>> configMap(String namespace, String name);

    Optional<Map<String, byte[]>> secret(String namespace, String name);
  }

  /** A configuration the container cannot start without is missing (upstream's message). */
  public static final class Missing extends RuntimeException {
    public Missing(String message) {
      super(message, null, false, false);
    }
  }

  /** A file of a volume: content and mode (octal permissions, as defaultMode/mode give them). */
  public record File(byte[] content, int mode) {}

  /**
   * Why a container cannot start yet: the first missing non-optional ConfigMap, Secret or key that its environment
   * (envFrom, configMapKeyRef, secretKeyRef) or the pod's volumes reference, in upstream's words; empty when it may
   * start. The one decision both runtimes take (the process runtime, then materialises what it resolved; the hollow
   * runtime only waits), so a scale test sees the waiting a real node shows.
   */
  public static Optional<String> missingReference(Pod pod, Container container, Lookup lookup) {
    try {
      environment(pod, container, lookup);
      if (pod.spec().volumes() != null) {
        for (Volume volume : pod.spec().volumes()) {
          volumeFiles(pod, volume, lookup);
        }
      }
      return Optional.empty();
    } catch (Missing missing) {
      return Optional.of(missing.getMessage());
    }
  }

  /** Variables from envFrom and the key references of env, by name; fieldRef and plain values are ContainerEnv's. */
  public static Map<String, String> environment(Pod pod, Container container, Lookup lookup) {
    String ns = pod.metadata().namespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (container.envFrom() != null) {
      for (JsonNode from : container.envFrom()) {
        String prefix = from.path("prefix").asText("");
        boolean secret = from.has("secretRef");
        JsonNode ref = secret ? from.get("secretRef") : from.path("configMapRef");
        Optional<Map<String, byte[]>> data = fetch(lookup, secret, ns, ref.path("name").asText(""));
        if (data.isEmpty()) {
          if (!ref.path("optional").asBoolean(false)) {
            throw new Missing((secret ? "secret" : "configmap") + " " + quote(ref.path("name").asText("")) + " not found");
          }
          continue;
        }
        data.get().forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
      }
    }
    if (container.env() != null) {
      for (EnvVar var : container.env()) {
        JsonNode from = var.valueFrom();
        boolean secret = from != null && from.has("secretKeyRef");
        JsonNode ref = from == null ? null : secret ? from.get("secretKeyRef") : from.get("configMapKeyRef");
        if (ref == null) {
          continue;
        }
        String name = ref.path("name").asText("");
        String key = ref.path("key").asText("");
        boolean optional = ref.path("optional").asBoolean(false);
        Optional<Map<String, byte[]>> data = fetch(lookup, secret, ns, name);
        String kind = secret ? "secret" : "configmap";
        if (data.isEmpty()) {
          if (!optional) {
            throw new Missing(kind + " " + quote(name) + " not found");
          }
        } else if (!data.get().containsKey(key)) {
          if (!optional) {
            throw new Missing("couldn't find key " + key + " in " + (secret ? "Secret " : "ConfigMap ") + ns + "/"
                + name);
          }
        } else {
          env.put(var.name(), new String(data.get().get(key), StandardCharsets.UTF_8));
        }
      }
    }
    return env;
  }

  /** The files of a volume, by path relative to the volume; null for a volume kind this runtime leaves alone. */
  public static Map<String, File> volumeFiles(Pod pod, Volume volume, Lookup lookup) {
    String ns = pod.metadata().namespace();
    if (volume.configMap() != null) {
      return keyed(volume.configMap(), false, ns, volume.configMap().path("name").asText(""), lookup,
          mode(volume.configMap(), 0644));
    }
    if (volume.secret() != null) {
      return keyed(volume.secret(), true, ns, volume.secret().path("secretName").asText(""), lookup,
          mode(volume.secret(), 0644));
    }
    if (volume.downwardAPI() != null) {
      return downward(pod, volume.downwardAPI(), mode(volume.downwardAPI(), 0644));
    }
    if (volume.projected() != null) {
      int defaultMode = mode(volume.projected(), 0644);
      Map<String, File> files = new LinkedHashMap<>();
      for (JsonNode source : volume.projected().path("sources")) {
        if (source.has("configMap")) {
          files.putAll(keyed(source.get("configMap"), false, ns, source.get("configMap").path("name").asText(""),
              lookup, defaultMode));
        } else if (source.has("secret")) {
          files.putAll(keyed(source.get("secret"), true, ns, source.get("secret").path("name").asText(""), lookup,
              defaultMode));
        } else if (source.has("downwardAPI")) {
          files.putAll(downward(pod, source.get("downwardAPI"), defaultMode));
        }
      }
      return files;
    }
    return null;
  }

  private static Map<String, File> keyed(JsonNode source, boolean secret, String ns, String name, Lookup lookup,
                                         int defaultMode) {
    Map<String, File> files = new LinkedHashMap<>();
    Optional<Map<String, byte[]>> data = fetch(lookup, secret, ns, name);
    boolean optional = source.path("optional").asBoolean(false);
    if (data.isEmpty()) {
      if (!optional) {
        throw new Missing((secret ? "secret" : "configmap") + " " + quote(name) + " not found");
      }
      return files;
    }
    if (source.has("items")) {
      for (JsonNode item : source.get("items")) {
        String key = item.path("key").asText("");
        byte[] value = data.get().get(key);
        if (value == null) {
          if (!optional) {
            throw new Missing("configmap references non-existent config key: " + key);
          }
          continue;
        }
        files.put(item.path("path").asText(key), new File(value, item.has("mode") ? item.get("mode").asInt()
            : defaultMode));
      }
    } else {
      data.get().forEach((k, v) -> files.put(k, new File(v, defaultMode)));
    }
    return files;
  }

  private static Map<String, File> downward(Pod pod, JsonNode source, int defaultMode) {
    Map<String, File> files = new LinkedHashMap<>();
    for (JsonNode item : source.path("items")) {
      String field = item.path("fieldRef").path("fieldPath").asText("");
      String value = switch (field) {
        case "metadata.name" -> pod.metadata().name();
        case "metadata.namespace" -> pod.metadata().namespace();
        case "metadata.uid" -> pod.metadata().uid();
        case "metadata.labels" -> lines(pod.metadata().labelsOrEmpty());
        case "metadata.annotations" -> lines(pod.metadata().annotationsOrEmpty());
        default -> field.startsWith("metadata.labels['") ? pod.metadata().labelsOrEmpty()
            .getOrDefault(field.substring(17, field.length() - 2), "")
            : field.startsWith("metadata.annotations['") ? pod.metadata().annotationsOrEmpty()
                .getOrDefault(field.substring(22, field.length() - 2), "") : "";
      };
      files.put(item.path("path").asText(), new File((value == null ? "" : value).getBytes(StandardCharsets.UTF_8),
          item.has("mode") ? item.get("mode").asInt() : defaultMode));
    }
    return files;
  }

  /** Upstream's format of labels and annotations in a downward API file: key="value", sorted, one a line. */
  private static String lines(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(map).forEach((k, v) -> out.append(k).append("=\"").append(v.replace("\"", "\\\""))
        .append("\"\n"));
    return out.toString();
  }

  private static int mode(JsonNode source, int fallback) {
    return source.has("defaultMode") ? source.get("defaultMode").asInt() : fallback;
  }

  private static Optional<Map<String, byte[]>> fetch(Lookup lookup, boolean secret, String ns, String name) {
    return secret ? lookup.secret(ns, name) : lookup.configMap(ns, name);
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }
}
