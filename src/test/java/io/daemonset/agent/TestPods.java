package io.daemonset.agent;

import io.daemonset.model.Container;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Probe;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Pods for the tests of the agent. */
final class TestPods {
  private TestPods() {}

  static Container container(String name, String... command) {
    return Container.of(name, null).withCommand(List.of(command));
  }

  static Container shell(String name, String script) {
    return container(name, "sh", "-c", script);
  }

  static Container withReadiness(Container c, Probe probe) {
    return new Container(c.name(), c.image(), c.command(), c.args(), c.workingDir(), c.env(), c.envFrom(), c.ports(),
        c.resources(), probe, c.livenessProbe(), c.startupProbe(), c.volumeMounts(), c.imagePullPolicy(),
        c.securityContext(), c.lifecycle(), c.terminationMessagePath(), c.terminationMessagePolicy(), c.stdin(),
        c.tty());
  }

  static Probe probe(Probe handler, int initialDelay, int period, int timeout, int success, int failure) {
    return new Probe(handler.exec(), handler.httpGet(), handler.tcpSocket(), initialDelay, period, timeout, success,
        failure, null);
  }

  static Pod pod(String name, Container... containers) {
    return pod("default", name, "node-1", containers);
  }

  static Pod pod(String namespace, String name, String node, Container... containers) {
    return new Pod("v1", "Pod",
        ObjectMeta.named(namespace, name).withUid(UUID.randomUUID().toString()).withCreationTimestamp(Instant.now()),
        PodSpec.of(List.of(containers)).withNodeName(node).withRestartPolicy("Always")
            .withTerminationGracePeriodSeconds(30L),
        null);
  }
}
