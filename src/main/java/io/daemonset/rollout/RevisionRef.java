package io.daemonset.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.ControllerRevision;
import java.util.Objects;

/**
 * A ControllerRevision as the history decision needs it. {@code data} may be null when only the hash
 * is known; with it, matching and hash-collision detection work on the template itself, as upstream's
 * Match does.
 */
public record RevisionRef(String name, String hash, long revision, JsonNode data) {

  public RevisionRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
  }

  public RevisionRef(String name, String hash, long revision) {
    this(name, hash, revision, null);
  }

  public static RevisionRef of(ControllerRevision revision) {
    return new RevisionRef(revision.metadata().name(), Revisions.hashOf(revision), revision.revision(), revision.data());
  }

  public RevisionRef withRevision(long value) {
    return new RevisionRef(name, hash, value, data);
  }
}
