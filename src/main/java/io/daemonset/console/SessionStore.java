package io.daemonset.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console sessions as cluster state: a replicated LWWMap (Pekko Distributed Data) from the digest of a session id to
 * its {@link Session}, so that a browser behind a load balancer may reach any member with its cookie.
 * <p>Sign-in and sign-out write to a majority of members before answering, so the next request finds (or no longer
 * finds) the session wherever it lands; every member keeps the map it last saw locally (a subscription) and answers
 * from it, asking a majority only when an id it does not know arrives (a sign-in on another member that gossip has not
 * brought yet). Expired sessions are refused at once and dropped from the map at the next sign-in. The map lives in
 * memory only: when the whole cluster stops, everyone signs in again.
 */
final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
  static final Key<LWWMap<String, Session>> KEY = LWWMapKey.create("console-sessions");
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final Clock clock;
  private final Duration lifetime;
  private volatile Map<String, Session> known = Map.of();

  SessionStore(ActorSystem<?> system, Clock clock, Duration lifetime) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
    this.clock = clock;
    this.lifetime = lifetime;
    system.systemActorOf(Behaviors.<Replicator.SubscribeResponse<LWWMap<String, Session>>>setup(context -> {
      replicator.tell(new Replicator.Subscribe<>(KEY, context.getSelf()));
      return Behaviors.receiveMessage(change -> {
        if (change instanceof Replicator.Changed<LWWMap<String, Session>> changed) {
          known = Map.copyOf(changed.get(KEY).getEntries());
        }
        return Behaviors.same();
      });
    }), "console-sessions", Props.empty());
  }

  Duration lifetime() {
    return lifetime;
  }

  /** A new session for the token's holder; completes with the session id for the cookie once a majority has it. */
  CompletionStage<String> create(String token, String user) {
    String id = Secrets.randomId();
    Instant now = clock.instant();
    Session session = new Session(Secrets.sha256(id), Secrets.sha256(token), user, Secrets.randomId(), now,
        now.plus(lifetime));
    return write(map -> {
      LWWMap<String, Session> pruned = map;
      for (Map.Entry<String, Session> e : map.getEntries().entrySet()) {
        if (e.getValue().expiredAt(now)) {
          pruned = pruned.remove(self, e.getKey());
        }
      }
      return pruned.put(self, session.idDigest(), session);
    }).thenApply(done -> {
      remember(session.idDigest(), session);
      return id;
    });
  }

  /** The live session of a cookie's id, if any. */
  CompletionStage<Optional<Session>> find(String sessionId) {
    if (sessionId == null || sessionId.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String digest = Secrets.sha256(sessionId);
    Session local = known.get(digest);
    if (local != null) {
      return CompletableFuture.completedFuture(live(local));
    }
    return AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, Session>>>ask(replicator,
            replyTo -> new Replicator.Get<>(KEY, new Replicator.ReadMajority(WRITE_TIMEOUT), replyTo),
            WRITE_TIMEOUT.plusSeconds(1), system.scheduler())
        .thenApply(response -> response instanceof Replicator.GetSuccess<LWWMap<String, Session>> found
            ? Optional.ofNullable(found.get(KEY).getEntries().get(digest)).flatMap(this::live)
            : Optional.<Session>empty())
        .exceptionally(failure -> Optional.empty());
  }

  /** Whether a session found before is still there and unexpired, from what this member knows (cheap: no I/O). */
  boolean stillValid(Session session) {
    Session now = known.get(session.idDigest());
    return now != null && live(now).isPresent();
  }

  /** Ends the session everywhere. */
  CompletionStage<Boolean> remove(Session session) {
    return write(map -> map.remove(self, session.idDigest())).thenApply(done -> {
      remember(session.idDigest(), null);
      return true;
    });
  }

  private Optional<Session> live(Session session) {
    return session.expiredAt(clock.instant()) ? Optional.empty() : Optional.of(session);
  }

  private synchronized void remember(String digest, Session session) {
    Map<String, Session> next = new HashMap<>(known);
    if (session == null) {
      next.remove(digest);
    } else {
      next.put(digest, session);
    }
    known = Map.copyOf(next);
  }

  /** Writes to a majority; a member alone or a slow majority still has it locally, and gossip spreads it. */
  private CompletionStage<Boolean> write(java.util.function.Function<LWWMap<String, Session>, LWWMap<String, Session>> modify) {
    return AskPattern.<Replicator.Command, Replicator.UpdateResponse<LWWMap<String, Session>>>ask(replicator,
            replyTo -> new Replicator.Update<>(KEY, LWWMap.create(), new Replicator.WriteMajority(WRITE_TIMEOUT),
                replyTo, modify),
            WRITE_TIMEOUT.plusSeconds(1), system.scheduler())
        .thenApply(response -> {
          if (!(response instanceof Replicator.UpdateSuccess)) {
            LOG.warn("console session write reached only some members ({}); gossip will spread it", response);
          }
          return true;
        });
  }
}
