package io.daemonset.cluster;

import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Node;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member's identity current while it serves: a deleted Node's credential is revoked (every member sees the
 * deletion in its view and asks the node's {@link NodeCredentialEntity}, which revokes once; credentials of older
 * releases in tokens.csv lose their lines, the same on every member), tokens.csv is read again
 * when it changes (also checked on authentication), and the serving certificate is renewed before it expires or
 * re-read when the operator's files change.
 */
public final class IdentityUpkeep {
  static final Duration CHECK_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(IdentityUpkeep.class);

  private IdentityUpkeep() {}

  /** Starts following the view's Node deletions and the minute's checks (serve, and the tests' control plane). */
  public static void start(ActorSystem<?> system, ClusterView view, TokenFile tokens, NodeCredentials credentials,
                           Pki pki) {
    scala.concurrent.ExecutionContextExecutor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    // From now on only: replaying an old deletion would revoke the credential of a node that joined again since.
    view.subscribe(view.resourceVersion(), change -> {
      // Never throws: the view drops a watcher that throws, and deleted nodes would keep their credentials.
      try {
        onChange(change, tokens, credentials, blocking);
      } catch (RuntimeException e) {
        LOG.error("could not act on {} {}: {}", change.resource(), change.key(), e.toString(), e);
      }
    });
    system.scheduler().scheduleWithFixedDelay(CHECK_EVERY, CHECK_EVERY, () -> {
      tokens.reloadIfChanged();
      try {
        if (pki.refresh()) {
          LOG.info("serving certificate renewed or reloaded; it expires {}", pki.serverCertificate().getNotAfter());
        }
      } catch (IllegalStateException e) {
        LOG.warn("{}", e.getMessage());
      }
    }, blocking);
  }

  private static void onChange(WatchEvent change, TokenFile tokens, NodeCredentials credentials, Executor blocking) {
    if (ObjectIndex.NODES.equals(change.resource()) && "DELETED".equals(change.type())
        && change.object() instanceof Node node) {
      String name = node.metadata().name();
      // Only a credential issued before the deletion: members see it at different moments, and the agent may have
      // obtained a new one since (a kubelet registers its Node again). Every member asks; the entity revokes once.
      Instant deleted = node.metadata().deletionTimestamp() != null ? node.metadata().deletionTimestamp()
          : Instant.now();
      credentials.revoke(name, deleted).whenComplete((revoked, error) -> {
        if (error != null) {
          LOG.warn("could not revoke the credential of node {} (another member may have): {}", name, error.toString());
        }
      });
      // Watchers run under the view's lock: the file work goes elsewhere. Credentials issued into tokens.csv before
      // they were cluster state.
      blocking.execute(() -> tokens.revokeNode(name));
    }
  }
}
