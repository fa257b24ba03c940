package io.daemonset.audit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection to the journal database, already set to the schema holding the journal tables (the
 * cluster layer knows the store, URL, credentials and schema; the audit only reads and writes tables).
 */
@FunctionalInterface
public interface JournalDatabase {
  Connection open() throws SQLException;
}
