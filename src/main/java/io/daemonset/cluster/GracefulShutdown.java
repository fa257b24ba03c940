package io.daemonset.cluster;

import io.daemonset.api.ApiServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order a member stops in (SIGTERM, or being downed), as Pekko's coordinated shutdown phases:
 * <ol>
 *   <li>before-service-unbind: {@code /ready} turns false and the in-process hollow fleet stops, so no new
 *       traffic is started;</li>
 *   <li>service-unbind: the API stops accepting connections;</li>
 *   <li>service-requests-done: requests in flight finish (up to {@link #DRAIN}), then open connections (watches)
 *       close;</li>
 *   <li>then Pekko's own phases: shard regions hand their shards off, the member leaves the cluster;</li>
 *   <li>before-actor-system-terminate: the management port closes.</li>
 * </ol>
 * So no request reaches a shard region after it stopped, and nothing is logged as an error for a request
 * refused while stopping.
 */
final class GracefulShutdown {
  /** Below the phase's 5 s default timeout (pekko.coordinated-shutdown.phases.service-requests-done). */
  static final Duration DRAIN = Duration.ofSeconds(4);
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {}

  static void register(ActorSystem<?> system, ApiServer server, Supplier<AutoCloseable> traffic) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "stop-new-traffic",
        () -> CompletableFuture.supplyAsync(() -> {
          LOG.info("stopping: not ready any more, stopping in-process traffic");
          Readiness.get(system).stopping();
          AutoCloseable source = traffic.get();
          if (source != null) {
            try {
              source.close();
            } catch (Exception e) {
              LOG.warn("stopping the hollow fleet: {}", e.toString());
            }
          }
          return Done.getInstance();
        }, blocking));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "api-unbind",
        () -> server.binding().unbind().thenApply(unbound -> Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "api-drain",
        () -> server.binding().terminate(DRAIN).thenApply(terminated -> Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "management-stop",
        () -> Management.stop(system));
  }
}
