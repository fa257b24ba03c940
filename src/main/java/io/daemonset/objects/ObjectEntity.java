package io.daemonset.objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.journal.EncryptionKeys;
import io.daemonset.journal.EncryptionKeys.Sealed;
import io.daemonset.journal.Journal;
import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Cause;
import io.daemonset.model.Outcome;
import io.daemonset.model.RawObject;
import java.time.Clock;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One plain object (a Namespace, ConfigMap, Secret or ServiceAccount): the single writer of its JSON, whatever its
 * kind. It assigns identity on create, checks the writer saw the latest version, keeps the finalizer protocol of
 * deletion, and seals what must not be stored in clear before persisting (the journal and snapshots only ever hold
 * ciphertext for a Secret's data). Entity id: {@code resource/namespace/name}, or {@code resource/name} when
 * cluster-scoped. Not remembered: a plain object does nothing on its own, it wakes on the next command.
 */
public final class ObjectEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ObjectEntity.Command, ObjectEntity.Event, ObjectState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Object");

  public static String entityId(String resource, String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? resource + "/" + name : resource + "/" + namespace + "/" + name;
  }

  // ---- commands --------------------------------------------------------------------------------

  public sealed interface Command extends JsonSerializable {}

  /** Store a new object (the full object, sealed fields in clear: the entity seals them). */
  public record Create(String resource, JsonNode object, Cause cause, ActorRef<Outcome<RawObject>> replyTo)
      implements Command {}

  /**
   * Replace the object; expectedVersion < 0 means "no precondition". An object being deleted whose last finalizer
   * this removes is deleted.
   */
  public record Update(JsonNode object, long expectedVersion, Cause cause, ActorRef<Outcome<RawObject>> replyTo)
      implements Command {}

  /** Delete, or only mark for deletion while finalizers remain; expectedVersion < 0: no precondition. */
  public record Delete(long expectedVersion, Cause cause, ActorRef<Outcome<RawObject>> replyTo) implements Command {}

  public record Get(ActorRef<ObjectState> replyTo) implements Command {}

  // ---- events ----------------------------------------------------------------------------------

  public sealed interface Event extends JsonSerializable {
    Cause cause();

    String resource();
  }

  /** Created or replaced: the object without its sealed fields, and those fields encrypted. */
  public record ObjectWritten(String resource, JsonNode object, Sealed sealed, Cause cause) implements Event {}

  public record ObjectDeleted(String resource, Cause cause) implements Event {}

  // ---- wiring ----------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system, Clock clock) {
    ObjectSealing sealing = new ObjectSealing(EncryptionKeys.get(system));
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), sealing, clock)));
  }

  public static Behavior<Command> create(String entityId, ObjectSealing sealing, Clock clock) {
    return Behaviors.setup(ctx -> new ObjectEntity(ctx, entityId, sealing, clock));
  }

  private final ActorContext<Command> context;
  private final String entityId;
  private final ObjectSealing sealing;
  private final Clock clock;

  private ObjectEntity(ActorContext<Command> context, String entityId, ObjectSealing sealing, Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), entityId));
    this.context = context;
    this.entityId = entityId;
    this.sealing = sealing;
    this.clock = clock;
  }

  @Override
  public ObjectState emptyState() {
    return ObjectState.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(Journal.TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventHandler<ObjectState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ObjectState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ObjectState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private ReplyEffect<Event, ObjectState> onCreate(ObjectState state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.ALREADY_EXISTS, entityId + " exists"));
    }
    return write(cmd.resource(), ObjectLifecycle.created(cmd.object(), clock.instant()), cmd.cause(), cmd.replyTo());
  }

  private ReplyEffect<Event, ObjectState> onUpdate(ObjectState state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, entityId + " not found"));
    }
    if (cmd.expectedVersion() >= 0 && cmd.expectedVersion() != state.version()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.CONFLICT, Outcome.CONFLICT_MESSAGE));
    }
    JsonNode current = sealing.join(entityId, state.object(), state.sealed());
    JsonNode next = ObjectLifecycle.updated(current, cmd.object());
    if (ObjectLifecycle.deleting(next) && !ObjectLifecycle.hasFinalizers(state.resource(), next)) {
      return Effect().persist(new ObjectDeleted(state.resource(), cmd.cause()))
          .thenReply(cmd.replyTo(), s -> Outcome.ok(new RawObject(state.object()), lastSequenceNumber()));
    }
    if (next.equals(current)) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(new RawObject(state.object()), lastSequenceNumber()));
    }
    return write(state.resource(), next, cmd.cause(), cmd.replyTo());
  }

  private ReplyEffect<Event, ObjectState> onDelete(ObjectState state, Delete cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, entityId + " not found"));
    }
    if (cmd.expectedVersion() >= 0 && cmd.expectedVersion() != state.version()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.CONFLICT, Outcome.CONFLICT_MESSAGE));
    }
    if (!ObjectLifecycle.hasFinalizers(state.resource(), state.object())) {
      return Effect().persist(new ObjectDeleted(state.resource(), cmd.cause()))
          .thenReply(cmd.replyTo(), s -> Outcome.ok(new RawObject(state.object()), lastSequenceNumber()));
    }
    if (ObjectLifecycle.deleting(state.object())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(new RawObject(state.object()), lastSequenceNumber()));
    }
    JsonNode current = sealing.join(entityId, state.object(), state.sealed());
    return write(state.resource(), ObjectLifecycle.markedForDeletion(state.resource(), current, clock.instant()),
        cmd.cause(), cmd.replyTo());
  }

  private ReplyEffect<Event, ObjectState> write(String resource, JsonNode full, Cause cause,
                                                ActorRef<Outcome<RawObject>> replyTo) {
    ObjectSealing.Split split = sealing.split(entityId, resource, full);
    return Effect().persist(new ObjectWritten(resource, split.clear(), split.sealed(), cause))
        .thenReply(replyTo, s -> Outcome.ok(new RawObject(s.object()), lastSequenceNumber()));
  }

  private long lastSequenceNumber() {
    return lastSequenceNumber(context);
  }
}
