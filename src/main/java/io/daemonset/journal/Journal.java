package io.daemonset.journal;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;

/** What every event-sourced entity shares about the journal: the tag the view and the audit read, and remembering. */
public final class Journal {

  /** Every event of the control plane carries this tag: the view and the audit read them in journal order. */
  public static final String TAG = "k8s";

  /**
   * How an entity survives a journal that fails (database down): it restarts and recovers again, backing off from
   * 0.5 s to 2 s, instead of stopping; commands that arrive meanwhile wait (stashed) or time out at the asker
   * (504). Once the database answers again the entity recovers from the journal without a JVM restart, within one
   * back-off (at 10 s, as before, a 15 s outage left entities idle for up to 12 s after the database was back). The
   * retries are cheap while the database is away: the journal's and the snapshot store's circuit breakers refuse
   * them at once (persistence.conf), and let one call through every 2 s.
   */
  public static final org.apache.pekko.actor.typed.BackoffSupervisorStrategy PERSIST_FAILURE_BACKOFF =
      org.apache.pekko.actor.typed.SupervisorStrategy.restartWithBackoff(
          java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(2), 0.2);

  /**
   * The condition of a read of the journal table in ordering order ({@code ... WHERE} this {@code ORDER BY "ordering"
   * LIMIT n}, one parameter: the ordering read up to). The upper bound changes no result; it is there for
   * PostgreSQL's planner. A table it has never analyzed (a new cluster's, until autovacuum's first ANALYZE, a minute or
   * more; a bench's, for its whole run) is planned from defaults, and for {@code "ordering" > ?} alone that plan was
   * a sequential scan of the whole table and a sort, at every read of the view's tail and the audit sealer: hundreds
   * of scans, millions of rows read for 15,000 events (docs/performance.md, "pg9"). A bounded range is estimated at
   * 0.5 % of the table without statistics and planned on the ordering index; with statistics the bound selects
   * everything and the plan is the index scan it was. (Analyzing the new, empty table instead made PostgreSQL plan
   * the lookups by persistence id as sequential scans: worse.)
   */
  public static final String AFTER_ORDERING = "\"ordering\" > ? AND \"ordering\" <= " + Long.MAX_VALUE;

  private Journal() {}

  /**
   * Sharding settings for entities that must be running whenever the cluster is (their ids are stored in the
   * journal), so that after a full restart every DaemonSet resumes its rollout. Node entities are woken from the view
   * instead (node.NodeWaker): remembering cost each new node a write before its entity started.
   */
  public static ClusterShardingSettings remembered(ActorSystem<?> system) {
    return ClusterShardingSettings.create(system)
        .withRememberEntities(true)
        .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
  }
}
