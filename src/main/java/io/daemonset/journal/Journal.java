package io.daemonset.journal;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;

/** What every event-sourced entity shares about the journal: the tag the view and the audit read, and remembering. */
public final class Journal {

  /** Every event of the control plane carries this tag: the view and the audit read them in journal order. */
  public static final String TAG = "k8s";

  private Journal() {}

  /**
   * Sharding settings for entities that must be running whenever the cluster is (their ids are stored in the
   * journal), so that after a full restart every node re-announces itself and every DaemonSet resumes its rollout.
   */
  public static ClusterShardingSettings remembered(ActorSystem<?> system) {
    return ClusterShardingSettings.create(system)
        .withRememberEntities(true)
        .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
  }
}
