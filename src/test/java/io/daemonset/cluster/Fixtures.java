package io.daemonset.cluster;

import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Quantity;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.Taint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Objects for controller scenarios, already in the shape the API stores them (defaulted, valid). */
final class Fixtures {
  private Fixtures() {}

  static Node node(String name, Map<String, String> labels, List<Taint> taints) {
    Instant now = Instant.now();
    return new Node("v1", "Node", ObjectMeta.named(null, name).withLabels(labels),
        new NodeSpec(null, null, null, taints),
        new NodeStatus(Map.of("cpu", Quantity.parse("4"), "memory", Quantity.parse("8Gi"), "pods", Quantity.parse("110")),
            null, List.of(new NodeCondition("Ready", "True", now, now, "AgentReady", "simulated agent")), null, null));
  }

  static DaemonSet daemonSet(String name, String image, Map<String, String> nodeSelector, RollingUpdateDaemonSet rolling) {
    Map<String, String> labels = Map.of("app", name);
    PodSpec spec = PodSpec.of(List.of(Container.of(name, image))).withNodeSelector(nodeSelector)
        .withRestartPolicy("Always").withTerminationGracePeriodSeconds(30L);
    DaemonSetUpdateStrategy strategy = new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE,
        rolling == null ? new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)) : rolling);
    return new DaemonSet("apps/v1", "DaemonSet", ObjectMeta.named("default", name).withLabels(labels),
        new DaemonSetSpec(LabelSelector.ofLabels(labels),
            new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(labels), spec), strategy, 0, 10, null),
        null);
  }

  static DaemonSet withImage(DaemonSet ds, String image) {
    PodTemplateSpec t = ds.spec().template();
    PodSpec spec = t.spec();
    List<io.daemonset.model.Container> containers = spec.containers().stream().map(c -> c.withImage(image)).toList();
    PodSpec changed = spec.withContainers(containers);
    return ds.withSpec(ds.spec().withTemplate(t.withSpec(changed)));
  }

  static DaemonSet withRolling(DaemonSet ds, RollingUpdateDaemonSet rolling) {
    return ds.withSpec(ds.spec().withUpdateStrategy(
        new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE, rolling)));
  }
}
