package io.daemonset.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;

/**
 * One control-plane member: a typed ActorSystem in a Pekko Cluster, its journal on H2 or PostgreSQL.
 *
 * <p>{@link #start} loads the configuration ({@link ControlPlaneConfig}), creates the journal tables if
 * missing ({@link SchemaInitializer}), creates the ActorSystem (guardian: {@link SpawnProtocol}), runs the
 * initializers (sharding {@code init} of each entity, views...) in order, and joins the cluster: through
 * the seed nodes, through Cluster Bootstrap (started with {@link Management}, when {@code daemonset.cluster.discovery}
 * is set), or, when there are neither, by joining itself as a single-member cluster.
 */
public final class ControlPlaneSystem implements AutoCloseable {
  /** The ActorSystem name; every member of one cluster must use it (it is part of member addresses). */
  public static final String SYSTEM_NAME = "daemonset";

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** The most a stop spends compacting the H2 file (about 2 s per 100 MB of garbage measured here). */
  private static final Duration H2_COMPACT_ON_STOP = Duration.ofSeconds(5);

  private final ActorSystem<SpawnProtocol.Command> system;
  private final CompletableFuture<Done> memberUp;
  /** Completes when the system has terminated and what follows it (the H2 file's last compaction) is done. */
  private final CompletionStage<Done> stopped;

  private ControlPlaneSystem(ActorSystem<SpawnProtocol.Command> system, CompletableFuture<Done> memberUp,
      CompletionStage<Done> stopped) {
    this.system = system;
    this.memberUp = memberUp;
    this.stopped = stopped;
  }

  /**
   * What to start. Empty fields fall back to the configuration and the environment
   * ({@code DS_DATA_DIR}, {@code DS_DB}, {@code DS_CLUSTER_HOST}, {@code DS_CLUSTER_PORT},
   * {@code DS_SEED_NODES}, {@code DS_CONF_DIR}); set them from command-line flags.
   *
   * @param seedNodes present and empty: form a single-member cluster whatever the configuration says
   * @param extraConfig layered over the files (not over the explicit fields)
   * @param initializers run in order on the new system before it joins the cluster
   */
  public record Settings(
      Optional<Path> dataDir,
      Optional<Store> store,
      Optional<String> clusterHost,
      OptionalInt clusterPort,
      Optional<List<String>> seedNodes,
      Optional<Path> confDir,
      Config extraConfig,
      List<Consumer<ActorSystem<?>>> initializers) {

    public Settings {
      initializers = List.copyOf(initializers);
    }

    /** Everything from the configuration and the environment, no initializers. */
    public static Settings defaults() {
      return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
          Optional.empty(), Optional.empty(), ConfigFactory.empty(), List.of());
    }

    public Settings withDataDir(Path dir) {
      return new Settings(Optional.of(dir), store, clusterHost, clusterPort, seedNodes, confDir, extraConfig, initializers);
    }

    public Settings withStore(Store s) {
      return new Settings(dataDir, Optional.of(s), clusterHost, clusterPort, seedNodes, confDir, extraConfig, initializers);
    }

    public Settings withClusterHost(String host) {
      return new Settings(dataDir, store, Optional.of(host), clusterPort, seedNodes, confDir, extraConfig, initializers);
    }

    /** 0 picks a free port (tests). */
    public Settings withClusterPort(int port) {
      return new Settings(dataDir, store, clusterHost, OptionalInt.of(port), seedNodes, confDir, extraConfig, initializers);
    }

    /** Each {@code host:port} or {@code pekko://daemonset@host:port}. */
    public Settings withSeedNodes(List<String> seeds) {
      return new Settings(dataDir, store, clusterHost, clusterPort, Optional.of(List.copyOf(seeds)), confDir, extraConfig,
          initializers);
    }

    /** A directory holding an operator's {@code application.conf} (see {@code conf/}). */
    public Settings withConfDir(Path dir) {
      return new Settings(dataDir, store, clusterHost, clusterPort, seedNodes, Optional.of(dir), extraConfig, initializers);
    }

    /** Adds config over the files; later calls win over earlier ones. */
    public Settings withExtraConfig(Config config) {
      return new Settings(dataDir, store, clusterHost, clusterPort, seedNodes, confDir,
          config.withFallback(extraConfig), initializers);
    }

    /** Adds config over the files, in HOCON. */
    public Settings withExtraConfig(String hocon) {
      return withExtraConfig(ConfigFactory.parseString(hocon));
    }

    /** Appends an initializer, e.g. {@code DaemonSetEntity::init}. */
    public Settings withInitializer(Consumer<ActorSystem<?>> initializer) {
      List<Consumer<ActorSystem<?>>> all = new ArrayList<>(initializers);
      all.add(initializer);
      return new Settings(dataDir, store, clusterHost, clusterPort, seedNodes, confDir, extraConfig, all);
    }
  }

  /**
   * Starts a member. Returns once the ActorSystem runs and the join is under way; await
   * {@link #memberUp()} before relying on sharding.
   *
   * @throws IllegalStateException if the journal database cannot be prepared
   */
  public static ControlPlaneSystem start(Settings settings) {
    Config config = ControlPlaneConfig.load(settings);
    prepareStore(config);
    ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), SYSTEM_NAME, config);
    try {
      CompletableFuture<Done> up = new CompletableFuture<>();
      org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system))
          .registerOnMemberUp(() -> completeWhenVisible(system, up));
      system.getWhenTerminated().thenRun(() ->
          up.completeExceptionally(new IllegalStateException("the ActorSystem terminated before its member was Up")));
      settings.initializers().forEach(init -> init.accept(system));
      CompletionStage<Done> stopped = StoreConfig.store(config) == Store.H2
          ? H2Housekeeping.compactWhenStopped(system, JdbcTarget.of(config), H2_COMPACT_ON_STOP)
          : system.getWhenTerminated();
      Cluster cluster = Cluster.get(system);
      if (config.getStringList("pekko.cluster.seed-nodes").isEmpty() && !Management.bootstraps(config)) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      return new ControlPlaneSystem(system, up, stopped);
    } catch (RuntimeException | Error e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * MemberUp reaches the {@code registerOnMemberUp} listener and {@code Cluster.state()} through separate
   * subscribers, in no set order; complete only once {@code selfMember()} shows it too, so that callers of
   * {@link #awaitMemberUp} see a consistent member.
   */
  private static void completeWhenVisible(ActorSystem<?> system, CompletableFuture<Done> up) {
    MemberStatus status = Cluster.get(system).selfMember().status();
    if (status != MemberStatus.joining() && status != MemberStatus.weaklyUp() && status != MemberStatus.removed()) {
      up.complete(Done.getInstance());
    } else if (!up.isDone()) {
      try {
        system.scheduler().scheduleOnce(
            Duration.ofMillis(10), () -> completeWhenVisible(system, up), system.executionContext());
      } catch (IllegalStateException terminated) {
        // the system is shutting down; whenTerminated fails the future
      }
    }
  }

  private static void prepareStore(Config config) {
    if (StoreConfig.store(config) == Store.H2) {
      try {
        Files.createDirectories(StoreConfig.dataDir(config));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data directory", e);
      }
    }
    if (config.getBoolean(StoreConfig.AUTO_CREATE_SCHEMA_KEY)) {
      SchemaInitializer.ensureSchema(config);
    }
  }

  public ActorSystem<SpawnProtocol.Command> system() {
    return system;
  }

  /** The resolved configuration the system runs with. */
  public Config config() {
    return system.settings().config();
  }

  /** This member's address, e.g. {@code pekko://daemonset@127.0.0.1:25520}. */
  public Address selfAddress() {
    return Cluster.get(system).selfMember().address();
  }

  /** Completes when this member is Up (also in {@code Cluster.state()}); fails if the system terminates first. */
  public CompletionStage<Done> memberUp() {
    return memberUp;
  }

  /** Blocks until this member is Up. */
  public void awaitMemberUp(Duration timeout) throws TimeoutException {
    try {
      memberUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for MemberUp", e);
    }
  }

  /** The JDBC read journal (eventsByTag, currentEventsByTag, eventsByPersistenceId...) of this system. */
  public JdbcReadJournal readJournal() {
    return readJournal(system);
  }

  /** The JDBC read journal of any system configured by {@link ControlPlaneConfig}. */
  public static JdbcReadJournal readJournal(ActorSystem<?> system) {
    return PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** Leaves the cluster (coordinated shutdown) and terminates the system. */
  public CompletionStage<Done> terminate() {
    system.terminate();
    return stopped;
  }

  /** {@link #terminate()} and wait for it, up to 30 s. */
  @Override
  public void close() {
    try {
      terminate().toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the ActorSystem did not terminate within " + CLOSE_TIMEOUT, e);
    }
  }
}
