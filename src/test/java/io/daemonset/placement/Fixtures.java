package io.daemonset.placement;

import io.daemonset.model.Affinity;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeAffinity;
import io.daemonset.model.NodeSelector;
import io.daemonset.model.NodeSelectorRequirement;
import io.daemonset.model.NodeSelectorTerm;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for the test tables, named after upstream's test helpers where they mirror one. */
final class Fixtures {

  /** Upstream simpleDaemonSetLabel, simpleDaemonSetLabel2, simpleNodeLabel, simpleNodeLabel2. */
  static final Map<String, String> DS_LABEL = Map.of("name", "simple-daemon", "type", "production");
  static final Map<String, String> DS_LABEL_2 = Map.of("name", "simple-daemon", "type", "test");
  static final Map<String, String> NODE_LABEL = Map.of("color", "blue", "speed", "fast");
  static final Map<String, String> NODE_LABEL_2 = Map.of("color", "red", "speed", "fast");

  private Fixtures() {}

  static Node node(String name, Map<String, String> labels, Taint... taints) {
    ObjectMeta meta = ObjectMeta.named(null, name).withLabels(labels);
    return new Node("v1", Node.KIND, meta, new NodeSpec(null, null, null, List.of(taints)), null);
  }

  static Node unschedulable(Node node) {
    return node.withSpec(new NodeSpec(null, null, true, node.spec().taints()));
  }

  static PodSpec spec() {
    return PodSpec.of(List.of(Container.of("c", "foo/bar")));
  }

  static DaemonSet ds(PodSpec spec) {
    PodTemplateSpec template = new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(DS_LABEL), spec);
    DaemonSetSpec dsSpec = new DaemonSetSpec(LabelSelector.ofLabels(DS_LABEL), template, null, null, null, null);
    return new DaemonSet("apps/v1", DaemonSet.KIND, ObjectMeta.named("default", "foo"), dsSpec, null);
  }

  static PodSpec withAffinity(PodSpec spec, NodeSelectorTerm... terms) {
    return spec.withAffinity(required(terms == null ? null : Arrays.asList(terms)));
  }

  static Affinity required(List<NodeSelectorTerm> terms) {
    return new Affinity(new NodeAffinity(new NodeSelector(terms), null), null, null);
  }

  static NodeSelectorTerm expressions(NodeSelectorRequirement... exprs) {
    return new NodeSelectorTerm(List.of(exprs), null);
  }

  static NodeSelectorTerm fields(NodeSelectorRequirement... fields) {
    return new NodeSelectorTerm(null, List.of(fields));
  }

  static NodeSelectorRequirement req(String key, String op, String... values) {
    return new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values));
  }

  static Toleration toleration(String key, String op, String value, String effect) {
    return new Toleration(key, op, value, effect, null);
  }

  /** "cpu=1,memory=100M" as a resource list (upstream allocatableResources / framework.Resource). */
  static Map<String, Quantity> resources(String spec) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    if (!spec.isEmpty()) {
      for (String pair : spec.split(",")) {
        String[] kv = pair.split("=", 2);
        out.put(kv[0], Quantity.parse(kv[1]));
      }
    }
    return out;
  }

  /** A container requesting the given resources (upstream newResourcePod's containers). */
  static Container requesting(String requests) {
    return Container.of("c", "foo/bar").withResources(new ResourceRequirements(null, resources(requests)));
  }

  static PodSpec pod(List<String> containers, List<String> initContainers) {
    List<Container> init = initContainers.stream().map(Fixtures::requesting).toList();
    PodSpec spec = PodSpec.of(containers.stream().map(Fixtures::requesting).toList());
    return new PodSpec(spec.containers(), init.isEmpty() ? null : init, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }
}
