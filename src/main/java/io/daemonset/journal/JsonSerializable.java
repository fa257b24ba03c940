package io.daemonset.journal;

/**
 * Marker for every message, event, reply and state that crosses a JVM or reaches the journal.
 *
 * <p>Bound to Pekko's {@code jackson-json} serializer in {@code daemonset/serialization.conf}
 * (included from {@code reference.conf}, so Pekko test kits use it too). Implement it on records;
 * Jackson binds them by constructor parameter names. Keep every persisted type stable and versioned:
 * a journal written today must replay next year. Never use {@code @JsonTypeInfo(use = Id.CLASS)}:
 * for sealed hierarchies use {@code Id.NAME} with explicit {@code @JsonSubTypes} names.
 */
public interface JsonSerializable {}
