package io.daemonset.model;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test manifests: a valid apps/v1 DaemonSet, edits by JSON pointer, and the decode → default pipeline. */
final class TestManifests {
  /** Valid as is; each validation row breaks exactly one thing in it. */
  static final String AGENT = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: agent
        namespace: kube-system
        labels: {app: agent}
      spec:
        selector:
          matchLabels: {app: agent}
        template:
          metadata:
            labels: {app: agent}
          spec:
            nodeSelector: {disk: ssd}
            tolerations:
            - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: kubernetes.io/os, operator: In, values: [linux]}
            containers:
            - name: agent
              image: example.com/agent:1.0
              ports: [{name: metrics, containerPort: 9100}]
              env: [{name: LOG_LEVEL, value: info}]
              resources:
                requests: {cpu: 100m, memory: 64Mi}
                limits: {cpu: 200m, memory: 128Mi}
              readinessProbe:
                httpGet: {path: /healthz, port: 9100}
              volumeMounts: [{name: logs, mountPath: /var/log}]
            volumes:
            - name: logs
              hostPath: {path: /var/log}
      """;

  private TestManifests() {}

  /** One change to a manifest tree: set (or append, at index = size) a JSON value, or remove a field. */
  interface Edit {
    void apply(JsonNode root);

    default Edit andThen(Edit next) {
      return root -> {
        apply(root);
        next.apply(root);
      };
    }
  }

  static Edit set(String pointer, String json) {
    return root -> {
      JsonPointer p = JsonPointer.compile(pointer);
      JsonNode parent = root.at(p.head());
      JsonNode value = readJson(json);
      if (parent instanceof ArrayNode a) {
        int i = Integer.parseInt(p.last().getMatchingProperty());
        if (i == a.size()) {
          a.add(value);
        } else {
          a.set(i, value);
        }
      } else {
        ((ObjectNode) parent).set(p.last().getMatchingProperty(), value);
      }
    };
  }

  static Edit remove(String pointer) {
    return root -> {
      JsonPointer p = JsonPointer.compile(pointer);
      ((ObjectNode) root.at(p.head())).remove(p.last().getMatchingProperty());
    };
  }

  static String edited(String yaml, Edit... edits) {
    try {
      JsonNode root = Json.yamlMapper().readTree(yaml);
      for (Edit e : edits) {
        e.apply(root);
      }
      return Json.write(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API's path for a create: strict decoding, then defaulting. */
  static DaemonSet defaulted(String yaml, Edit... edits) {
    String json = edited(yaml, edits);
    return DaemonSetDefaults.daemonSet(Manifests.read(json, DaemonSet.class, FieldValidation.STRICT).value());
  }

  static String example(String file) {
    try {
      return Files.readString(Path.of("examples", file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readJson(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
