package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Container;
import io.daemonset.model.EnvVar;
import io.daemonset.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment and command line as the kubelet makes them: env values in order, each able to refer
 * to the ones before it as {@code $(NAME)}; {@code valueFrom.fieldRef} for the pod's own fields (the downward API:
 * metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName,
 * spec.serviceAccountName, status.hostIP, status.podIP); then command and args with {@code $(NAME)} expanded.
 * {@code $$} is a literal {@code $}; a reference to an unknown name stays as written.
 */
public final class ContainerEnv {
  private static final Pattern FIELD_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private ContainerEnv() {}

  /** The variables the container spec defines (without the agent's own environment). */
  public static Map<String, String> variables(Pod pod, Container container, String hostIP) {
    return variables(pod, container, hostIP, Map.of());
  }

  /**
   * With the values of envFrom and of configMapKeyRef/secretKeyRef already resolved ({@link PodConfig#environment}):
   * envFrom first, then env in order.
   */
  public static Map<String, String> variables(Pod pod, Container container, String hostIP,
                                              Map<String, String> fromObjects) {
    Map<String, String> env = new LinkedHashMap<>(fromObjects);
    if (container.env() == null) {
      return env;
    }
    for (EnvVar var : container.env()) {
      String value;
      if (var.valueFrom() != null) {
        value = fieldRef(pod, var.valueFrom(), hostIP);
        if (value == null) {
          value = fromObjects.get(var.name());
        }
        if (value == null) {
          continue;
        }
      } else {
        value = expand(var.value() == null ? "" : var.value(), env);
      }
      env.put(var.name(), value);
    }
    return env;
  }

  /** command followed by args, each expanded against env. Empty if the container has no command. */
  public static List<String> commandLine(Container container, Map<String, String> env) {
    List<String> line = new ArrayList<>();
    if (container.command() == null || container.command().isEmpty()) {
      return line;
    }
    container.command().forEach(s -> line.add(expand(s, env)));
    if (container.args() != null) {
      container.args().forEach(s -> line.add(expand(s, env)));
    }
    return line;
  }

  /** Kubernetes' $(VAR) expansion. */
  public static String expand(String input, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c == '$' && i + 1 < input.length()) {
        char next = input.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = input.indexOf(')', i + 2);
          if (close > 0) {
            String name = input.substring(i + 2, close);
            String value = env.get(name);
            out.append(value != null ? value : input.substring(i, close + 1));
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static String fieldRef(Pod pod, JsonNode valueFrom, String hostIP) {
    JsonNode ref = valueFrom.get("fieldRef");
    if (ref == null) {
      return null;
    }
    String path = ref.path("fieldPath").asText("");
    Matcher m = FIELD_KEY.matcher(path);
    if (m.matches()) {
      Map<String, String> map = m.group(1).equals("labels") ? pod.metadata().labelsOrEmpty()
          : pod.metadata().annotationsOrEmpty();
      return map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.metadata().name();
      case "metadata.namespace" -> pod.metadata().namespace();
      case "metadata.uid" -> pod.metadata().uid();
      case "spec.nodeName" -> pod.spec().nodeName();
      case "spec.serviceAccountName" -> pod.spec().serviceAccountName();
      case "status.hostIP", "status.podIP" -> hostIP;
      default -> null;
    };
  }
}
