package io.daemonset.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The database a member's flags name: {@code --store}, {@code --db-url}, {@code --db-user}, {@code --db-password}
 * (each also read from the environment by the command). A PostgreSQL URL selects the PostgreSQL store by itself;
 * a URL that contradicts an explicit {@code --store} is refused rather than silently ignored.
 */
record DatabaseFlags(Optional<String> store, Optional<String> url, Optional<String> user, Optional<String> password) {
  static final String POSTGRES_DB = "daemonset.persistence.postgres.db";

  static DatabaseFlags of(String store, String url, String user, String password) {
    return new DatabaseFlags(nonBlank(store), nonBlank(url), nonBlank(user), Optional.ofNullable(password));
  }

  /** The store these flags choose; empty leaves the choice to the configuration ({@code DS_DB}, default h2). */
  Optional<Store> chosenStore() {
    Optional<Store> explicit = store.map(Store::parse);
    Optional<Store> byUrl = url.map(DatabaseFlags::storeOfUrl);
    if (explicit.isPresent() && byUrl.isPresent() && explicit.get() != byUrl.get()) {
      throw new IllegalArgumentException("--store " + explicit.get().configName() + " contradicts --db-url "
          + url.get() + " (a " + byUrl.get().configName() + " URL)");
    }
    return explicit.or(() -> byUrl);
  }

  /** Config over the files for the chosen PostgreSQL coordinates (only those given). */
  Config config() {
    if (chosenStore().filter(s -> s == Store.H2).isPresent() && (user.isPresent() || password.isPresent())) {
      throw new IllegalArgumentException("--db-user and --db-password are for PostgreSQL (--db-url jdbc:postgresql://…)");
    }
    Map<String, Object> values = new HashMap<>();
    url.filter(u -> storeOfUrl(u) == Store.POSTGRES).ifPresent(u -> values.put(POSTGRES_DB + ".url", u));
    url.filter(u -> storeOfUrl(u) == Store.H2).ifPresent(u -> values.put("daemonset.persistence.h2.db.url", u));
    user.ifPresent(u -> values.put(POSTGRES_DB + ".user", u));
    password.ifPresent(p -> values.put(POSTGRES_DB + ".password", p));
    return ConfigFactory.parseMap(values, "serve's database flags");
  }

  static Store storeOfUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return Store.POSTGRES;
    }
    if (url.startsWith("jdbc:h2:")) {
      return Store.H2;
    }
    throw new IllegalArgumentException("--db-url must be a JDBC URL, jdbc:postgresql://HOST:PORT/DATABASE (or jdbc:h2:…),"
        + " not " + url);
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
