package io.daemonset.bench;

import io.daemonset.agent.ApiTarget;
import io.daemonset.agent.FleetSettings;
import io.daemonset.agent.HollowBehavior;
import io.daemonset.agent.HollowFleet;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.Identity;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What {@code serve --hollow-nodes N} runs, built for a benchmark: a single-member control plane, the HTTPS API on a
 * free port, and a hollow fleet in the same JVM talking to that API as real agents do.
 */
final class BenchServer implements AutoCloseable {
  final ControlPlane plane;
  final ApiServer api;
  final ApiTarget admin;
  private HollowFleet fleet;
  private HollowFleet joiners;

  private BenchServer(ControlPlane plane, ApiServer api) {
    this.plane = plane;
    this.api = api;
    this.admin = ApiTarget.fromKubeconfig(api.kubeconfigPath(), null);
  }

  static ControlPlaneSystem.Settings settings(Path dataDir, Store store, String extraConfig) {
    return ControlPlaneSystem.Settings.defaults().withDataDir(dataDir).withStore(store)
        .withClusterPort(0).withSeedNodes(List.of()).withExtraConfig(extraConfig);
  }

  static BenchServer start(ControlPlaneSystem.Settings settings, Path dataDir) throws Exception {
    Clock clock = Clock.systemUTC();
    ControlPlane plane = ControlPlane.start(settings, clock);
    plane.member().awaitMemberUp(Duration.ofMinutes(2));
    ApiSettings apiSettings = ApiSettings.defaults(dataDir).withBindHost("127.0.0.1").withPort(0);
    ApiServer api = ApiServer.start(plane.system(), apiSettings, io.daemonset.cluster.ApiMetrics.measured(ResourceRoutes.create(plane.store(), clock)))
        .toCompletableFuture().get(1, TimeUnit.MINUTES);
    return new BenchServer(plane, api);
  }

  private FleetSettings fleetSettings(int nodes, String prefix, Duration readyDelay) {
    String user = "system:hollow-fleet";
    String token = api.tokens().tokenFor(user)
        .orElseGet(() -> api.tokens().issue(new Identity(user, "hollow-fleet", Set.of("system:masters"))));
    ApiTarget target = ApiTarget.of(api.url(), api.pki().caCertificate(), token);
    return FleetSettings.of(target, nodes).withNamePrefix(prefix).withBehavior(HollowBehavior.allReady(readyDelay));
  }

  /** Starts the fleet node-1…node-N; returns once every node has registered. */
  HollowFleet startFleet(int nodes, Duration readyDelay) throws Exception {
    fleet = HollowFleet.start(fleetSettings(nodes, FleetSettings.DEFAULT_PREFIX, readyDelay));
    fleet.registered().get(10, TimeUnit.MINUTES);
    return fleet;
  }

  /** A second fleet (join-1…join-M) joining the running one, one every spacing (zero: all at once); does not wait. */
  HollowFleet startJoiners(int nodes, Duration readyDelay, Duration spacing) {
    joiners = HollowFleet.start(fleetSettings(nodes, "join-", readyDelay), java.time.Clock.systemUTC(), spacing);
    return joiners;
  }

  @Override
  public void close() {
    if (joiners != null) {
      joiners.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    try {
      api.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    plane.close();
  }
}
