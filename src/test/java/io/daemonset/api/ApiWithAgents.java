package io.daemonset.api;

import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.util.Map;

/**
 * A control plane with {@link HttpAgents} joined to it: the fixture of the API tests, held in one
 * {@code @AutoClose} field so that the agents are stopped before the control plane (JUnit closes several such
 * fields in an order of its own).
 */
final class ApiWithAgents implements AutoCloseable {
  private final TestControlPlane cluster;
  private final HttpAgents agents;

  private ApiWithAgents(TestControlPlane cluster) {
    this.cluster = cluster;
    this.agents = new HttpAgents(cluster);
  }

  /** A control plane with this config (often {@link HttpAgents#CONFIG}), and these nodes joined without labels. */
  static ApiWithAgents start(Path dir, String config, String... nodes) throws Exception {
    return start(dir, TestControlPlane.Options.DEFAULTS.withConfig(config), nodes);
  }

  /** A control plane with these options, and these nodes joined without labels. */
  static ApiWithAgents start(Path dir, TestControlPlane.Options options, String... nodes) throws Exception {
    ApiWithAgents started = new ApiWithAgents(TestControlPlane.start(dir, options));
    try {
      for (String node : nodes) {
        started.agents.join(node, Map.of());
      }
      return started;
    } catch (RuntimeException | Error e) {
      started.close();
      throw e;
    }
  }

  TestControlPlane cluster() {
    return cluster;
  }

  HttpAgents agents() {
    return agents;
  }

  /** Stops the agents, then the control plane (even if stopping the agents failed). */
  @Override
  public void close() throws Exception {
    try {
      agents.close();
    } finally {
      cluster.close();
    }
  }
}
