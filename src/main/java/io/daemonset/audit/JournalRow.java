package io.daemonset.audit;

import java.time.Instant;

/**
 * One row of {@code event_journal} as stored: the bytes the hash chain covers and the coordinates the
 * serializer needs to turn them back into an event.
 *
 * @param ordering the journal's global ordering (an object's resourceVersion)
 * @param writtenAt {@code write_timestamp}: when the journal plugin wrote the row
 * @param serializerId {@code event_ser_id}
 * @param manifest {@code event_ser_manifest}: the event's type (and, with Jackson migrations, its version)
 * @param payload {@code event_payload}, exactly as stored
 */
public record JournalRow(long ordering, String persistenceId, long sequenceNr, Instant writtenAt, int serializerId,
                         String manifest, byte[] payload) {

  /** Persistence ids of Pekko's own bookkeeping (sharding's remembered entities) start with a slash. */
  public boolean isAudited() {
    return isAudited(persistenceId);
  }

  static boolean isAudited(String persistenceId) {
    return !persistenceId.startsWith("/");
  }

  /** "DaemonSet" of "DaemonSet|default/logs". */
  public String entityType() {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(0, bar);
  }

  /** "default/logs" of "DaemonSet|default/logs". */
  public String entityId() {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }
}
