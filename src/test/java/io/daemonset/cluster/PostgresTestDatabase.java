package io.daemonset.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests use: env DS_TEST_DB_URL, DS_TEST_DB_USER, DS_TEST_DB_PASSWORD. Each test class
 * works in a schema of its own, dropped afterwards, so reruns start clean. Public for the console's PostgreSQL test.
 */
public final class PostgresTestDatabase {
  static final String URL = env("DS_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/daemonset_test");
  static final String USER = env("DS_TEST_DB_USER", "daemonset");
  static final String PASSWORD = env("DS_TEST_DB_PASSWORD", "daemonset");

  private PostgresTestDatabase() {}

  /** Skips the calling tests when PostgreSQL is unreachable; fails them instead when CI=true. */
  public static void assumeReachable() {
    try (Connection ignored = DriverManager.getConnection(URL, USER, PASSWORD)) {
      // reachable
    } catch (SQLException e) {
      String message = "PostgreSQL unreachable at " + URL + " as " + USER + ": " + e.getMessage()
          + " (start it: pg_ctlcluster --skip-systemctl-redirect 15 main start; or set DS_TEST_DB_URL,"
          + " DS_TEST_DB_USER, DS_TEST_DB_PASSWORD)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " [CI=true: PostgreSQL tests may not be skipped]", e);
      }
      Assumptions.abort(message);
    }
  }

  public static String uniqueSchema() {
    return "ds_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static JdbcTarget target(String schema) {
    return new JdbcTarget(Store.POSTGRES, URL, USER, PASSWORD, schema);
  }

  /** Points the control plane's PostgreSQL store at the test database and {@code schema}. */
  public static Config config(String schema) {
    return ConfigFactory.parseMap(Map.of(
        "daemonset.persistence.postgres.db.url", URL,
        "daemonset.persistence.postgres.db.user", USER,
        "daemonset.persistence.postgres.db.password", PASSWORD,
        StoreConfig.SCHEMA_KEY, schema));
  }

  /** A connection to the test database whose search path is {@code schema} (created if missing). */
  public static Connection connect(String schema) throws SQLException {
    Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
      s.execute("SET search_path TO \"" + schema + "\"");
    }
    return c;
  }

  static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  public static void dropSchema(String schema) throws SQLException {
    execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  }

  private static String env(String name, String fallback) {
    return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank()).orElse(fallback);
  }
}
