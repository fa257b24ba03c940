package io.daemonset.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the control plane's configuration.
 *
 * <p>Precedence, highest first: explicit {@link Settings} (command-line flags) &gt; {@code extraConfig}
 * &gt; {@code -D} system properties &gt; {@code <confDir>/application.conf} &gt; the bundled
 * {@code daemonset/application.conf} (whose {@code ${?DS_...}} lines read the environment) &gt; every
 * jar's {@code reference.conf}. The bundled files are on the classpath, so the shaded jar needs no conf dir.
 */
public final class ControlPlaneConfig {
  /** The bundled defaults, split by concern (cluster, persistence-*, api) through includes. */
  public static final String BUNDLED_RESOURCE = "daemonset/application.conf";
  /** Environment variable naming the operator's conf dir when {@link Settings#confDir()} is empty. */
  public static final String CONF_DIR_ENV = "DS_CONF_DIR";
  public static final String SEED_NODES_KEY = "daemonset.cluster.seed-nodes";

  private ControlPlaneConfig() {}

  /** The resolved configuration for {@code settings}, with the store and seed nodes applied. */
  public static Config load(Settings settings) {
    Config stack = explicit(settings)
        .withFallback(settings.extraConfig())
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(operatorConfig(settings.confDir()))
        .withFallback(appVersion())
        .withFallback(ConfigFactory.parseResources(BUNDLED_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false)))
        .withFallback(ConfigFactory.defaultReference());
    // Resolve once to learn the choices (they may come from files or the environment), then apply them.
    Config chosen = stack.resolve();
    return StoreConfig.overlay(StoreConfig.dataDir(chosen), StoreConfig.store(chosen))
        .withFallback(ConfigFactory.empty().withValue(
            "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedNodes(chosen))))
        .withFallback(stack)
        .resolve();
  }

  /**
   * The seed nodes of a resolved config: {@code daemonset.cluster.seed-nodes} (env {@code DS_SEED_NODES},
   * comma-separated) when set, else {@code pekko.cluster.seed-nodes}.
   */
  public static List<String> seedNodes(Config config) {
    String csv = config.getString(SEED_NODES_KEY);
    return csv.isBlank() ? config.getStringList("pekko.cluster.seed-nodes") : normalizeSeedNodes(List.of(csv.split(",")));
  }

  /** {@code host:port} becomes {@code pekko://daemonset@host:port}; full addresses are kept; blanks dropped. */
  public static List<String> normalizeSeedNodes(List<String> seeds) {
    return seeds.stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.contains("://") ? s : "pekko://" + ControlPlaneSystem.SYSTEM_NAME + "@" + s)
        .toList();
  }

  /**
   * {@code pekko.cluster.app-version} from the build (the jar manifest's Implementation-Version), so that during a
   * rolling upgrade sharding moves shards to members of the newer version; {@code DS_APP_VERSION} overrides it.
   * Empty outside a built jar (tests), where Pekko's default 0.0.0 holds.
   */
  static Config appVersion() {
    return io.daemonset.model.Release.runningVersion()
        .map(version -> ConfigFactory.parseMap(Map.of("pekko.cluster.app-version", version), "the build's version"))
        .orElse(ConfigFactory.empty());
  }

  private static Config explicit(Settings settings) {
    Map<String, Object> values = new HashMap<>();
    settings.dataDir().ifPresent(d -> values.put(StoreConfig.DATA_DIR_KEY, d.toString()));
    settings.store().ifPresent(s -> values.put(StoreConfig.STORE_KEY, s.configName()));
    settings.clusterHost().ifPresent(h -> values.put("daemonset.cluster.host", h));
    settings.clusterPort().ifPresent(p -> values.put("daemonset.cluster.port", p));
    settings.seedNodes().ifPresent(seeds -> {
      values.put(SEED_NODES_KEY, String.join(",", seeds));
      values.put("pekko.cluster.seed-nodes", normalizeSeedNodes(seeds));
    });
    return ConfigFactory.parseMap(values, "explicit control-plane settings");
  }

  private static Config operatorConfig(Optional<Path> confDir) {
    Optional<Path> dir = confDir.or(() -> Optional.ofNullable(System.getenv(CONF_DIR_ENV))
        .filter(s -> !s.isBlank())
        .map(Path::of));
    if (dir.isEmpty()) {
      return ConfigFactory.empty();
    }
    Path file = dir.get().resolve("application.conf");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("conf dir " + dir.get() + " has no application.conf");
    }
    return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
  }
}
