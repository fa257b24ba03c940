package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ConfigMaps and Secrets a pod spec names: volumes (configMap, secret, projected sources) and container
 * environment (valueFrom configMapKeyRef/secretKeyRef, envFrom), as upstream's podutil.VisitPodSecretNames and
 * VisitPodConfigmapNames. Pure.
 */
public final class PodReferences {
  private PodReferences() {}

  public static Set<String> configMaps(PodSpec spec) {
    return names(spec, "configMap", "name", "configMapKeyRef", "configMapRef");
  }

  public static Set<String> secrets(PodSpec spec) {
    return names(spec, "secret", "secretName", "secretKeyRef", "secretRef");
  }

  private static Set<String> names(PodSpec spec, String projectedField, String volumeNameField, String keyRef,
                                   String fromRef) {
    Set<String> names = new TreeSet<>();
    if (spec == null) {
      return names;
    }
    if (spec.volumes() != null) {
      for (Volume v : spec.volumes()) {
        JsonNode direct = projectedField.equals("secret") ? v.secret() : v.configMap();
        add(names, direct == null ? null : direct.get(volumeNameField));
        if (v.projected() != null) {
          v.projected().path("sources").forEach(s -> add(names, s.path(projectedField).get("name")));
        }
      }
    }
    for (Container c : containers(spec)) {
      if (c.env() != null) {
        c.env().forEach(e -> add(names, e.valueFrom() == null ? null : e.valueFrom().path(keyRef).get("name")));
      }
      if (c.envFrom() != null) {
        c.envFrom().forEach(f -> add(names, f.path(fromRef).get("name")));
      }
    }
    return names;
  }

  static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>();
    if (spec.initContainers() != null) {
      all.addAll(spec.initContainers());
    }
    if (spec.containers() != null) {
      all.addAll(spec.containers());
    }
    return all;
  }

  private static void add(Set<String> names, JsonNode name) {
    if (name != null && name.isTextual() && !name.asText().isEmpty()) {
      names.add(name.asText());
    }
  }
}
