package io.daemonset.api;

import io.daemonset.model.Json;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON of the view's objects as last encoded, by identity. The view's objects are immutable and each change makes a
 * new one, so one object always encodes to the same bytes: a pod's status report is answered with the pod and sent
 * to every watcher of it as that same object, and one encoding now serves the answer and each watch (it was encoded
 * once per answer and once per watcher). Lossy and small: one slot per identity hash, so it holds at most
 * {@link #SLOTS} objects beyond their time and never grows; a collision only costs an encoding.
 */
final class EncodedObjects {
  static final int SLOTS = 1024;
  private static final EncodedObjects SHARED = new EncodedObjects();

  private record Entry(Object object, byte[] json) {}

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

  static EncodedObjects shared() {
    return SHARED;
  }

  /** The object's JSON (UTF-8); the caller must not change the array. */
  byte[] json(Object object) {
    int slot = System.identityHashCode(object) & (SLOTS - 1);
    Entry entry = slots.get(slot);
    if (entry != null && entry.object() == object) {
      return entry.json();
    }
    byte[] json = Json.writeBytes(object);
    slots.set(slot, new Entry(object, json));
    return json;
  }
}
