package io.daemonset.cluster;

import io.daemonset.auth.Identity;
import io.daemonset.auth.NodeCredentialSource;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.NodeCredentialEntity.CredentialIssued;
import io.daemonset.cluster.NodeCredentialEntity.CredentialRevoked;
import io.daemonset.journal.EncryptionKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node credentials as cluster state, on one member: issues them through {@link NodeCredentialEntity} (one writer per
 * node, anywhere in the cluster) and keeps this member's copy of all of them, read from the journal (the entity's
 * tag, from the start, then live), so a credential issued by any member authenticates on every member without a
 * shared file, and a revoked one nowhere. The copy holds one token per node (a few thousand entries).
 */
public final class NodeCredentials implements NodeCredentialSource {
  /** How long an unknown token may wait for this member's copy to catch up ({@link #authenticateSoon}). */
  static final Duration CATCH_UP = Duration.ofSeconds(2);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);
  private static final Logger LOG = LoggerFactory.getLogger(NodeCredentials.class);

  private record Known(String nodeName, String uid, String token) {}

  private final ActorSystem<?> system;
  private final EncryptionKeys keys;
  private final Executor executor;
  private final Map<String, Known> byToken = new ConcurrentHashMap<>();
  private final Map<String, Known> byNode = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<Identity>>> waiting = new ConcurrentHashMap<>();
  private final AtomicReference<Offset> offset = new AtomicReference<>(Offset.noOffset());

  private NodeCredentials(ActorSystem<?> system, EncryptionKeys keys) {
    this.system = system;
    this.keys = keys;
    this.executor = system.dispatchers().lookup(DispatcherSelector.defaultDispatcher());
  }

  /** Registers the entity on this member and starts following the credentials' events. */
  public static NodeCredentials start(ActorSystem<?> system, JdbcReadJournal readJournal, Clock clock) {
    EncryptionKeys keys = EncryptionKeys.get(system);
    ClusterSharding.get(system).init(Entity.of(NodeCredentialEntity.ENTITY_TYPE_KEY,
        ctx -> NodeCredentialEntity.create(ctx.getEntityId(), keys, clock)));
    NodeCredentials credentials = new NodeCredentials(system, keys);
    // Resumes from the last offset applied when the stream fails (the database went away): replaying from the start
    // would make a revoked token valid again for a moment.
    RestartSource.withBackoff(RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(5), 0.2),
            () -> readJournal.eventsByTag(NodeCredentialEntity.TAG, credentials.offset.get()))
        .runWith(Sink.foreach(credentials::apply), system);
    return credentials;
  }

  // ---- issuing and revoking (any member) ----

  /**
   * The node's credential, the existing one or a new one; completes once this member authenticates it too.
   * Fails with a TimeoutException when the entity does not answer (database away).
   */
  public CompletionStage<TokenFile.NodeCredential> obtain(String nodeName) {
    return ClusterSharding.get(system).entityRefFor(NodeCredentialEntity.ENTITY_TYPE_KEY, nodeName)
        .<NodeCredentialEntity.Credential>ask(NodeCredentialEntity.Obtain::new, ASK_TIMEOUT)
        .thenComposeAsync(c -> authenticateSoon(c.token()).thenApply(known -> new TokenFile.NodeCredential(
            c.nodeName(), Identity.NODE_USER_PREFIX + c.nodeName(), c.token(), c.issued())), executor);
  }

  /** Revokes the node's credential if it was issued before {@code issuedBefore}; true if one was. */
  public CompletionStage<Boolean> revoke(String nodeName, Instant issuedBefore) {
    return ClusterSharding.get(system).entityRefFor(NodeCredentialEntity.ENTITY_TYPE_KEY, nodeName)
        .<NodeCredentialEntity.Revoked>ask(replyTo -> new NodeCredentialEntity.Revoke(issuedBefore, replyTo),
            ASK_TIMEOUT)
        .thenApplyAsync(NodeCredentialEntity.Revoked::revoked, executor);
  }

  // ---- this member's copy ----

  /**
   * A hash lookup, not tokens.csv's constant-time comparison per entry: its time depends on the token's hash, which
   * tells a caller nothing about any credential's characters.
   */
  @Override
  public Optional<Identity> authenticate(String token) {
    Known known = token == null ? null : byToken.get(token);
    return Optional.ofNullable(known).map(k -> Identity.node(k.nodeName(), k.uid()));
  }

  @Override
  public CompletionStage<Optional<Identity>> authenticateSoon(String token) {
    Optional<Identity> now = authenticate(token);
    if (now.isPresent()) {
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<Optional<Identity>> wait = waiting.computeIfAbsent(token, t -> {
      CompletableFuture<Optional<Identity>> f = new CompletableFuture<>();
      f.completeOnTimeout(Optional.empty(), CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
      f.whenComplete((found, error) -> waiting.remove(t, f));
      return f;
    });
    // The token may have arrived between the look above and the registration: apply() completes only waiters that
    // were there when it stored the token.
    authenticate(token).ifPresent(found -> wait.complete(Optional.of(found)));
    return wait.thenApplyAsync(found -> found, executor);
  }

  @Override
  public Optional<String> tokenOf(String nodeName) {
    return Optional.ofNullable(byNode.get(nodeName)).map(Known::token);
  }

  private void apply(EventEnvelope envelope) {
    String nodeName = envelope.persistenceId().substring(envelope.persistenceId().indexOf('|') + 1);
    Object event = envelope.event();
    if (event instanceof CredentialIssued issued) {
      String token;
      try {
        token = new String(keys.open(issued.token(), envelope.persistenceId()), StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        // A key this member lacks (DS_ENCRYPTION_KEYS differs between members): that node's agent is refused here
        // and exchanges again; the stream goes on with the others.
        LOG.warn("cannot open the credential of node {}: {}", nodeName, e.getMessage());
        offset.set(envelope.offset());
        return;
      }
      Known known = new Known(nodeName, issued.uid(), token);
      forget(nodeName);
      byNode.put(nodeName, known);
      byToken.put(token, known);
      CompletableFuture<Optional<Identity>> waiter = waiting.get(token);
      if (waiter != null) {
        waiter.complete(Optional.of(Identity.node(nodeName, issued.uid())));
      }
    } else if (event instanceof CredentialRevoked) {
      if (forget(nodeName)) {
        LOG.info("revoked the credential of {}{} (its Node was deleted)", Identity.NODE_USER_PREFIX, nodeName);
      }
    }
    offset.set(envelope.offset());
  }

  private boolean forget(String nodeName) {
    Known before = byNode.remove(nodeName);
    if (before != null) {
      byToken.remove(before.token(), before);
    }
    return before != null;
  }
}
