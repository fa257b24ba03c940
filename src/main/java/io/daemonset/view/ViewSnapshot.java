package io.daemonset.view;

import io.daemonset.journal.JsonSerializable;
import java.util.Map;

/**
 * The whole view at journal position X: every ordering up to X applied (the tail stops before gaps, so there is no
 * hole below X), nothing after. The view is a function of the journal up to X, so any member may start from any
 * member's snapshot and tail the journal from X.
 *
 * @param format {@link #FORMAT} when written; a snapshot of another format is not read (the view replays instead)
 * @param position X: the journal ordering read up to
 * @param resourceVersion the view's resourceVersion at X (the ordering of the last event it applied, ≤ X)
 * @param anchor the journal row of that last event: a snapshot whose anchor the journal does not hold was taken
 *     from another journal (a database reset under a kept table) and is not used
 * @param index the objects and the entities' states
 * @param sequenceNrs the last sequence number applied per persistence id (what a write's reply waits for)
 */
public record ViewSnapshot(int format, long position, long resourceVersion, Anchor anchor, IndexImage index,
                           Map<String, Long> sequenceNrs) implements JsonSerializable {
  /**
   * Bump when what the view derives from the same events changes (an event handler, a derived object, the image's
   * shape): snapshots of the old format are then skipped, and the view replays the journal once.
   */
  public static final int FORMAT = 1;

  /** One journal row: the entity event at an ordering. */
  public record Anchor(String persistenceId, long sequenceNr) {}
}
