package io.daemonset.cluster;

import com.typesafe.config.Config;
import io.daemonset.audit.AuditKey;
import io.daemonset.audit.JournalDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;

/** The journal database and the audit key of a running member, for the audit's own JDBC work. */
public final class JournalDatabases {
  private JournalDatabases() {}

  public static JournalDatabase of(Config config) {
    StoreConfig.JdbcTarget target = StoreConfig.JdbcTarget.of(config);
    return () -> {
      Connection c = target.connect();
      if (!target.schema().isEmpty()) {
        c.setSchema(target.schema());
      }
      return c;
    };
  }

  /** DS_AUDIT_KEY, else {@code <data-dir>/audit-key}, created when missing. */
  static AuditKey auditKey(Config config) {
    try {
      return AuditKey.findOrCreate(System.getenv(AuditKey.ENV),
          StoreConfig.dataDir(config).resolve(AuditKey.FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit key", e);
    }
  }
}
