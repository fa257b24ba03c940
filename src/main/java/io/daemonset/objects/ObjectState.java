package io.daemonset.objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.journal.EncryptionKeys.Sealed;
import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Json;

/**
 * One plain object as the journal and snapshots hold it: its JSON without the sealed fields, and those fields
 * encrypted. Immutable; {@link #apply} is the one event handler, used by the entity and by the view.
 *
 * @param resource the plural resource (namespaces, configmaps, secrets, serviceaccounts)
 * @param object the object without its sealed fields; null while it does not exist
 * @param sealed the sealed fields' JSON, encrypted; null when the kind seals nothing or they are empty
 * @param version counts changes, for optimistic concurrency of API writes
 */
public record ObjectState(String resource, JsonNode object, Sealed sealed, long version) implements JsonSerializable {

  public static final ObjectState EMPTY = new ObjectState(null, null, null, 0);

  public ObjectState {
    object = Json.absentIfNull(object);
  }

  public boolean exists() {
    return object != null;
  }

  public ObjectState apply(ObjectEntity.Event event) {
    if (event instanceof ObjectEntity.ObjectWritten e) {
      return new ObjectState(e.resource(), e.object(), e.sealed(), version + 1);
    } else if (event instanceof ObjectEntity.ObjectDeleted e) {
      return new ObjectState(e.resource(), null, null, version + 1);
    }
    throw new IllegalArgumentException("unknown object event " + event);
  }
}
