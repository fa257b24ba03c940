package io.daemonset.cluster;

import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the embedded H2 file when the control plane stops, which H2 does not do itself with our settings.
 *
 * <p>Why: the journal's H2 URL sets {@code WRITE_DELAY=0} so that every acknowledged commit is on disk (H2's
 * default delay loses acknowledged events on kill -9), and every commit then writes a new chunk holding the B-tree
 * pages it changed. A journal of many small commits leaves chunks that are mostly garbage, which H2 keeps for its
 * retention time (45 s: the time it allows the operating system to flush its writes, so that a power loss cannot
 * corrupt the file): a 1,000-node rollout left a 117 MB file holding 15 MB of live data (chunk fill rate 21%).
 * H2 compacts on close, but {@code DB_CLOSE_DELAY=-1} keeps the database open until the JVM exits, and the JVM then
 * exits without closing it, so that compaction never ran. This does it when the system has terminated: nothing
 * writes any more (the journal's connection pool closed with the system), so it may move chunks, which leaves a
 * file of about the live data.
 *
 * <p>It reaches the MVStore through H2's engine classes ({@code JdbcConnection → SessionLocal → Database → Store}),
 * not through SQL: {@code SHUTDOWN COMPACT} would also close the database under any other member of this JVM.
 */
final class H2Housekeeping {
  private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

  private H2Housekeeping() {}

  /**
   * Completes when {@code system} has terminated and its H2 file has been compacted for at most {@code budget}.
   */
  static CompletionStage<Done> compactWhenStopped(ActorSystem<?> system, JdbcTarget target, Duration budget) {
    // thenApply without Async: runs on the thread that completes the termination (the system's executors are gone)
    return system.getWhenTerminated().thenApply(done -> {
      compactFile(target, budget);
      return done;
    });
  }

  /** Compacts the whole file for at most {@code budget}; only when nothing else writes to it. */
  static void compactFile(JdbcTarget target, Duration budget) {
    try (Connection connection = target.connect()) {
      MVStore store = mvStore(connection);
      if (store != null && !store.isClosed()) {
        store.compactFile((int) budget.toMillis());
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("H2 compaction on stop skipped: {}", e.toString());
    }
  }

  /** The MVStore behind an embedded H2 connection, or null if the connection is not one. */
  static MVStore mvStore(Connection connection) throws SQLException {
    if (!connection.isWrapperFor(JdbcConnection.class)) {
      return null;
    }
    var session = connection.unwrap(JdbcConnection.class).getSession();
    if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
      return null;
    }
    return local.getDatabase().getStore().getMvStore();
  }
}
