package io.daemonset.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Chooses the database behind pekko-persistence-jdbc.
 *
 * <p>Both stores are described in the bundled config ({@code daemonset.persistence.h2} and
 * {@code daemonset.persistence.postgres}); the overlay made here points the one shared Slick database
 * that the journal, the snapshot store and the read journal use
 * ({@code pekko-persistence-jdbc.shared-databases.slick}) at the chosen block.
 */
public final class StoreConfig {
  public static final String DATA_DIR_KEY = "daemonset.data-dir";
  public static final String STORE_KEY = "daemonset.persistence.store";
  public static final String SCHEMA_KEY = "daemonset.persistence.schema";
  public static final String AUTO_CREATE_SCHEMA_KEY = "daemonset.persistence.auto-create-schema";
  /** The shared database every pekko-persistence-jdbc plugin uses ({@code use-shared-db = "slick"}). */
  public static final String SHARED_DB_PATH = "pekko-persistence-jdbc.shared-databases.slick";

  private StoreConfig() {}

  /**
   * The overlay selecting {@code store} with its files under {@code dataDir}. It is unresolved on purpose:
   * put it in front of the bundled defaults and resolve the whole, e.g.
   * {@code overlay(dir, store).withFallback(defaults).resolve()}.
   */
  public static Config overlay(Path dataDir, Store store) {
    return ConfigFactory.parseMap(Map.of(
            DATA_DIR_KEY, dataDir.toAbsolutePath().normalize().toString(),
            STORE_KEY, store.configName()))
        .withFallback(ConfigFactory.parseString(
            SHARED_DB_PATH + " = ${daemonset.persistence." + store.configName() + "}"));
  }

  /** The store chosen in a resolved config ({@code daemonset.persistence.store}, env {@code DS_DB}). */
  public static Store store(Config config) {
    return Store.parse(config.getString(STORE_KEY));
  }

  /** The data directory of a resolved config ({@code daemonset.data-dir}, env {@code DS_DATA_DIR}), absolute. */
  public static Path dataDir(Config config) {
    return Path.of(config.getString(DATA_DIR_KEY)).toAbsolutePath().normalize();
  }

  /**
   * Plain-JDBC coordinates of the journal database, for work done outside Slick (schema creation, tools).
   *
   * @param schema the schema holding the tables, or empty for the connection's default
   */
  public record JdbcTarget(Store store, String url, String user, String password, String schema) {
    private static final Pattern SCHEMA_NAME = Pattern.compile("|[a-z_][a-z0-9_]{0,62}");

    public JdbcTarget {
      if (!SCHEMA_NAME.matcher(schema).matches()) {
        throw new IllegalArgumentException("invalid " + SCHEMA_KEY + " '" + schema
            + "': use lower-case letters, digits and underscores");
      }
    }

    /** The target a resolved config (one that went through {@link #overlay}) points at. */
    public static JdbcTarget of(Config config) {
      Config db = config.getConfig(SHARED_DB_PATH + ".db");
      return new JdbcTarget(StoreConfig.store(config), db.getString("url"), db.getString("user"),
          db.getString("password"), config.getString(SCHEMA_KEY));
    }

    public Connection connect() throws SQLException {
      Properties props = new Properties();
      props.setProperty("user", user);
      props.setProperty("password", password);
      return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
      return "JdbcTarget[" + store.configName() + " " + url + " user=" + user
          + (schema.isEmpty() ? "" : " schema=" + schema) + "]";
    }
  }
}
