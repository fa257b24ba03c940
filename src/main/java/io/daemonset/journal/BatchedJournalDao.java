package io.daemonset.journal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.PostgresProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's journal DAO, writing a batch to PostgreSQL in one statement instead of one per event.
 *
 * <p>The plugin inserts tagged events with Slick's {@code insert ... returning ordering} ({@code ++=} on a returning
 * insert), which Slick runs as one {@code executeUpdate} per row: a batch of 400 events was 400 round trips plus one
 * for their tags, and the journal wrote ~1,100 events/s where the same database took ~16,000 rows/s of batched
 * inserts (bench journal, docs/performance.md). Here the whole batch is one statement: the rows travel as one array per
 * column ({@code unnest}), the journal rows' orderings come back from a data-modifying CTE, and the tag rows are
 * inserted from it in the same statement, in the same transaction as before. Same tables, same rows, same order of
 * orderings (the plugin's: by sequence number); the read side is untouched. Other databases (H2) keep the plugin's
 * own statements; on every database the write queue gathers a batch without copying it ({@link #queueWriteJournalRows}).
 */
public final class BatchedJournalDao extends DefaultJournalDao {
  private final boolean postgres;
  private final String sql;

  public BatchedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                           Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.postgres = profile instanceof PostgresProfile;
    this.sql = postgres ? insertSql(journalConfig.eventJournalTableConfiguration(),
        journalConfig.eventTagTableConfiguration()) : null;
  }

  /** One statement: the journal rows from arrays, then a tag row per (ordering, tag) of the rows just inserted. */
  static String insertSql(EventJournalTableConfiguration journal, EventTagTableConfiguration tags) {
    EventJournalTableColumnNames c = journal.columnNames();
    String journalTable = qualified(journal.schemaName(), journal.tableName());
    String tagTable = qualified(tags.schemaName(), tags.tableName());
    return "WITH rows AS (INSERT INTO " + journalTable + " (" + String.join(", ", c.deleted(), c.persistenceId(),
        c.sequenceNumber(), c.writer(), c.writeTimestamp(), c.adapterManifest(), c.eventSerId(), c.eventSerManifest(),
        c.eventPayload(), c.metaSerId(), c.metaSerManifest(), c.metaPayload()) + ")"
        // WITH ORDINALITY ... ORDER BY: orderings are drawn in the batch's order, as the plugin's row-by-row inserts drew them
        + " SELECT d, p, s, w, t, a, i, m, e, mi, mm, mp FROM unnest(?::boolean[], ?::varchar[], ?::bigint[],"
        + " ?::varchar[], ?::bigint[], ?::varchar[], ?::integer[], ?::varchar[], ?::bytea[], ?::integer[],"
        + " ?::varchar[], ?::bytea[]) WITH ORDINALITY AS r(d, p, s, w, t, a, i, m, e, mi, mm, mp, n) ORDER BY n"
        + " RETURNING " + c.ordering() + " AS ordering, " + c.persistenceId() + " AS pid, " + c.sequenceNumber()
        + " AS seq)"
        + " INSERT INTO " + tagTable + " (" + tags.columnNames().eventId() + ", " + tags.columnNames().tag() + ")"
        + " SELECT rows.ordering, t.tag FROM rows JOIN unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS t(pid, seq, tag)"
        + " ON rows.pid = t.pid AND rows.seq = t.seq";
  }

  private static String qualified(scala.Option<String> schema, String table) {
    return schema.isDefined() && !schema.get().isEmpty() ? schema.get() + "." + table : table;
  }

  /**
   * Hands the plugin's write queue a Vector. The queue gathers the writes of a batch with {@code rows ++ newRows},
   * which on the List the plugin passes copies every row gathered so far: O(n²) in the batch (400 rows), 4 % of a
   * write-bound journal's CPU (docs/performance.md). A Vector appends in effectively constant time.
   */
  @Override
  public Future<BoxedUnit> queueWriteJournalRows(Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> xs) {
    return super.queueWriteJournalRows(xs.toVector());
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> xs) {
    if (!postgres) {
      return super.writeJournalRows(xs);
    }
    List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows = new ArrayList<>(CollectionConverters.asJava(xs));
    // the plugin's order (a stable sort by sequence number), so that orderings follow it as they did
    rows.sort(Comparator.comparingLong(row -> row._1().sequenceNumber()));
    SimpleJdbcAction<BoxedUnit> write = SimpleJdbcAction.apply(ctx -> {
      try {
        insert(ctx.connection(), rows);
        return BoxedUnit.UNIT;
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<BoxedUnit> done = db().run((DBIOAction) write);
    return done;
  }

  /** The batch in one transaction (the plugin's atomicity: all of a batch's writes, or none). */
  private void insert(Connection c, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    int n = rows.size();
    Boolean[] deleted = new Boolean[n];
    String[] pids = new String[n];
    Long[] seqs = new Long[n];
    String[] writers = new String[n];
    Long[] timestamps = new Long[n];
    String[] adapters = new String[n];
    Integer[] serIds = new Integer[n];
    String[] manifests = new String[n];
    byte[][] payloads = new byte[n][];
    Integer[] metaSerIds = new Integer[n];
    String[] metaManifests = new String[n];
    byte[][] metaPayloads = new byte[n][];
    List<String> tagPids = new ArrayList<>();
    List<Long> tagSeqs = new ArrayList<>();
    List<String> tagNames = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JournalPekkoSerializationRow r = rows.get(i)._1();
      deleted[i] = r.deleted();
      pids[i] = r.persistenceId();
      seqs[i] = r.sequenceNumber();
      writers[i] = r.writer();
      timestamps[i] = r.writeTimestamp();
      adapters[i] = r.adapterManifest();
      serIds[i] = r.eventSerId();
      manifests[i] = r.eventSerManifest();
      payloads[i] = r.eventPayload();
      metaSerIds[i] = r.metaSerId().isDefined() ? (Integer) r.metaSerId().get() : null;
      metaManifests[i] = r.metaSerManifest().isDefined() ? r.metaSerManifest().get() : null;
      metaPayloads[i] = r.metaPayload().isDefined() ? r.metaPayload().get() : null;
      for (String tag : CollectionConverters.asJava(rows.get(i)._2())) {
        tagPids.add(r.persistenceId());
        tagSeqs.add(r.sequenceNumber());
        tagNames.add(tag);
      }
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      Array[] arrays = {c.createArrayOf("boolean", deleted), c.createArrayOf("varchar", pids),
          c.createArrayOf("bigint", seqs), c.createArrayOf("varchar", writers), c.createArrayOf("bigint", timestamps),
          c.createArrayOf("varchar", adapters), c.createArrayOf("integer", serIds),
          c.createArrayOf("varchar", manifests), c.createArrayOf("bytea", payloads),
          c.createArrayOf("integer", metaSerIds), c.createArrayOf("varchar", metaManifests),
          c.createArrayOf("bytea", metaPayloads), c.createArrayOf("varchar", tagPids.toArray(String[]::new)),
          c.createArrayOf("bigint", tagSeqs.toArray(Long[]::new)),
          c.createArrayOf("varchar", tagNames.toArray(String[]::new))};
      for (int i = 0; i < arrays.length; i++) {
        insert.setArray(i + 1, arrays[i]);
      }
      insert.executeUpdate();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
