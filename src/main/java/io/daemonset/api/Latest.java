package io.daemonset.api;

import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.node.NodeState;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The object a read-modify-write starts from and the entity version that guards its write: from this JVM's view on
 * a first attempt (cheap, and what the client saw), from the entity itself on an attempt after a storage conflict
 * (the view may still be behind the write that won, and re-reading it would lose again).
 *
 * @param stored the object, null when it does not exist; read from an entity it carries no resourceVersion, so
 *               only a precondition the request itself names is checked
 * @param guard the entity's version the write expects (specVersion of a DaemonSet, version of a Node)
 */
record Latest(StoredObject stored, long guard) {

  Optional<StoredObject> existing() {
    return Optional.ofNullable(stored);
  }

  static Latest daemonSetInView(ObjectStore store, Call call) {
    Optional<DaemonSetState> state = store.index().daemonSetState(call.namespace(), call.req().name())
        .filter(DaemonSetState::exists);
    long guard = state.map(DaemonSetState::specVersion).orElse(-1L);
    // the guard is read before the object it guards: a newer object then fails the guard (409) and is retried
    Optional<StoredObject> stored = store.index().get(call.kind().resource, call.namespace(), call.req().name());
    return new Latest(state.isPresent() ? stored.orElse(null) : null, guard);
  }

  static CompletionStage<Latest> daemonSetInEntity(ObjectStore store, Call call) {
    return store.latestDaemonSet(call.namespace(), call.req().name()).thenApply(state -> {
      if (!state.exists()) {
        return new Latest(null, -1);
      }
      DaemonSet ds = state.daemonSet();
      return new Latest(new StoredObject(call.kind().resource, call.namespace(), call.req().name(),
          ds.withMetadata(ds.metadata().withResourceVersion(null)), 0), state.specVersion());
    });
  }

  static Latest nodeInView(ObjectStore store, Call call) {
    Optional<NodeState> state = store.index().nodeState(call.req().name()).filter(NodeState::exists);
    long guard = state.map(NodeState::version).orElse(-1L);
    Optional<StoredObject> stored = store.index().get(call.kind().resource, null, call.req().name());
    return new Latest(state.isPresent() ? stored.orElse(null) : null, guard);
  }

  static CompletionStage<Latest> nodeInEntity(ObjectStore store, Call call) {
    return store.latestNode(call.req().name()).thenApply(state -> {
      if (!state.exists()) {
        return new Latest(null, -1);
      }
      Node node = state.node();
      return new Latest(new StoredObject(call.kind().resource, null, call.req().name(),
          node.withMetadata(node.metadata().withResourceVersion(null)), 0), state.version());
    });
  }

  /** The object, or 404 as the request names it. */
  StoredObject require(Call call) {
    if (stored == null) {
      throw ApiException.notFound(call.groupResource(), call.req().name());
    }
    return stored;
  }

  /** The resourceVersion a patched object must still carry: "" when read from the entity (no precondition). */
  String resourceVersion() {
    return stored == null || stored.resourceVersion() == 0 ? "" : String.valueOf(stored.resourceVersion());
  }
}
