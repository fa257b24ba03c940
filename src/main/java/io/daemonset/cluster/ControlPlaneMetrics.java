package io.daemonset.cluster;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.node.NodeEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The member's Prometheus registry, served at {@code /metrics} on the management port ({@link MetricsRoute}).
 * It joins Micrometer's global registry, where the entities, the view and the API record (journal.Meters,
 * {@link ApiMetrics}), and adds JVM and process meters and, every 10 s, the shards and entities this member
 * hosts per entity type.
 */
public final class ControlPlaneMetrics implements Extension {
  public static final Id ID = new Id();
  private static final Duration SHARD_POLL = Duration.ofSeconds(10);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicInteger> hosted = new ConcurrentHashMap<>();

  private ControlPlaneMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Metrics.addRegistry(registry);
  }

  public static ControlPlaneMetrics get(ActorSystem<?> system) {
    return ID.get(Adapter.toClassic(system));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** Polls this member's shard regions for the shards and entities it hosts, until the system stops. */
  public void watchShards(ActorSystem<?> system) {
    for (EntityTypeKey<?> key : java.util.List.of(DaemonSetEntity.ENTITY_TYPE_KEY, NodeEntity.ENTITY_TYPE_KEY)) {
      gauge("daemonset.shards", key.name());
      gauge("daemonset.entities", key.name());
    }
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, SHARD_POLL, () -> pollShards(system),
        system.executionContext());
  }

  private void gauge(String name, String type) {
    AtomicInteger value = hosted.computeIfAbsent(name + "/" + type, k -> new AtomicInteger());
    Gauge.builder(name, value, AtomicInteger::get).tag("type", type)
        .description(name.endsWith("shards") ? "Shards hosted by this member" : "Entities alive on this member")
        .register(registry);
  }

  private void pollShards(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    for (EntityTypeKey<?> key : java.util.List.of(DaemonSetEntity.ENTITY_TYPE_KEY, NodeEntity.ENTITY_TYPE_KEY)) {
      AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
              replyTo -> new GetShardRegionState(key, replyTo), Duration.ofSeconds(5), system.scheduler())
          .thenAccept(state -> {
            hosted.get("daemonset.shards/" + key.name()).set(state.getShards().size());
            hosted.get("daemonset.entities/" + key.name()).set(
                state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum());
          });
    }
  }

  /** The extension's id. */
  public static final class Id extends AbstractExtensionId<ControlPlaneMetrics> implements ExtensionIdProvider {
    @Override
    public ControlPlaneMetrics createExtension(ExtendedActorSystem system) {
      ControlPlaneMetrics metrics = new ControlPlaneMetrics();
      system.registerOnTermination(() -> {
        Metrics.removeRegistry(metrics.registry);
        metrics.registry.close();
      });
      return metrics;
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
