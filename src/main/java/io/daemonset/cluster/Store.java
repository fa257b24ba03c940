package io.daemonset.cluster;

import java.util.Arrays;
import java.util.Locale;

/** The database behind the event journal: embedded H2 (default) or PostgreSQL (production). */
public enum Store {
  H2("h2", "schema/h2/h2-create-schema.sql"),
  POSTGRES("postgres", "schema/postgres/postgres-create-schema.sql");

  private final String configName;
  private final String createSchemaScript;

  Store(String configName, String createSchemaScript) {
    this.configName = configName;
    this.createSchemaScript = createSchemaScript;
  }

  /** The value of {@code daemonset.persistence.store} (env {@code DS_DB}) and the name of its config block. */
  public String configName() {
    return configName;
  }

  /** Classpath resource, inside the pekko-persistence-jdbc jar, that creates the tables. */
  String createSchemaScript() {
    return createSchemaScript;
  }

  /** Parses {@code h2}, {@code postgres} or {@code postgresql}, case-insensitively. */
  public static Store parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("postgresql")) {
      return POSTGRES;
    }
    return Arrays.stream(values())
        .filter(s -> s.configName.equals(n))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown store '" + name + "' (daemonset.persistence.store / DS_DB): expected h2 or postgres"));
  }
}
