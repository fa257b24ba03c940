package io.daemonset.cluster;

import io.daemonset.journal.EncryptionKeys;
import io.daemonset.journal.EncryptionKeys.Sealed;
import io.daemonset.journal.Journal;
import io.daemonset.journal.JsonSerializable;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * One node's agent credential (user system:node:NAME), as cluster state: the single writer of whether the node has
 * one and which. Entity id: the node name. Its events carry their own tag ({@link #TAG}), not the view's, so neither
 * the object view nor the audit sees them; {@link NodeCredentials} on every member follows that tag. The token is
 * sealed with the cluster's encryption keys (as a Secret's data is), its associated data the persistence id, so the
 * journal never holds it in clear. The credential must be kept in full, not hashed: the API server also keys the
 * node's exec tickets with it.
 */
public final class NodeCredentialEntity extends EventSourcedBehaviorWithEnforcedReplies<
    NodeCredentialEntity.Command, NodeCredentialEntity.Event, NodeCredentialEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "NodeCredential");
  /** The tag of this entity's events (and only theirs). */
  public static final String TAG = "node-credentials";

  // ---- commands --------------------------------------------------------------------------------

  public sealed interface Command extends JsonSerializable {}

  /** The node's credential: the one it has, else a new one. */
  public record Obtain(ActorRef<Credential> replyTo) implements Command {}

  /**
   * Revoke the credential if it was issued before {@code issuedBefore} (the Node's deletion): every member asks when
   * it sees the deletion, and a late ask must not revoke the credential the node's agent obtained since.
   */
  public record Revoke(Instant issuedBefore, ActorRef<Revoked> replyTo) implements Command {}

  /** The answer to {@link Obtain}; issued is true when this call created it. */
  public record Credential(String nodeName, String uid, String token, boolean issued) implements JsonSerializable {}

  /** The answer to {@link Revoke}: whether a credential was revoked. */
  public record Revoked(boolean revoked) implements JsonSerializable {}

  // ---- events ----------------------------------------------------------------------------------

  public sealed interface Event extends JsonSerializable {}

  /** A credential was issued; the token sealed ({@link EncryptionKeys}), associated data the persistence id. */
  public record CredentialIssued(String uid, Sealed token, Instant issuedAt) implements Event {}

  public record CredentialRevoked(Instant revokedAt) implements Event {}

  /** The credential in force, or none (uid null). */
  public record State(String uid, Sealed token, Instant issuedAt) implements JsonSerializable {
    static final State NONE = new State(null, null, null);

    boolean has() {
      return uid != null;
    }

    State apply(Event event) {
      return event instanceof CredentialIssued e ? new State(e.uid(), e.token(), e.issuedAt()) : NONE;
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------

  public static Behavior<Command> create(String nodeName, EncryptionKeys keys, Clock clock) {
    return new NodeCredentialEntity(nodeName, keys, clock);
  }

  /** The persistence id of a node's credential, which is also the sealed token's associated data. */
  static PersistenceId persistenceId(String nodeName) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), nodeName);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String nodeName;
  private final EncryptionKeys keys;
  private final Clock clock;

  private NodeCredentialEntity(String nodeName, EncryptionKeys keys, Clock clock) {
    super(persistenceId(nodeName), Journal.PERSIST_FAILURE_BACKOFF);
    this.nodeName = nodeName;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.NONE;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Obtain.class, (state, cmd) -> {
          if (state.has()) {
            return Effect().reply(cmd.replyTo(), new Credential(nodeName, state.uid(), open(state.token()), false));
          }
          String token = newToken();
          CredentialIssued issued = new CredentialIssued(UUID.randomUUID().toString(),
              keys.seal(token.getBytes(StandardCharsets.UTF_8), persistenceId(nodeName).id()), clock.instant());
          return Effect().persist(issued)
              .thenReply(cmd.replyTo(), s -> new Credential(nodeName, issued.uid(), token, true));
        })
        .onCommand(Revoke.class, (state, cmd) -> {
          if (!state.has() || !state.issuedAt().isBefore(cmd.issuedBefore())) {
            return Effect().reply(cmd.replyTo(), new Revoked(false));
          }
          return Effect().persist(new CredentialRevoked(clock.instant()))
              .thenReply(cmd.replyTo(), s -> new Revoked(true));
        })
        .build();
  }

  private String open(Sealed token) {
    return new String(keys.open(token, persistenceId(nodeName).id()), StandardCharsets.UTF_8);
  }

  /** 32 random bytes, base64url: the form of tokens.csv's tokens. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
