package io.daemonset.cluster;

import java.util.Arrays;
import java.util.Locale;

/** The database behind the event journal: embedded H2 (default) or PostgreSQL (production). */
public enum Store {
  // our copy of the plugin's H2 script (VARBINARY payloads, ordering as the key): the script says why
  H2("h2", "daemonset/schema/h2-create-schema.sql"),
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

  /** Classpath resource that creates the tables: the plugin jar's for PostgreSQL, ours (derived from it) for H2. */
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
