package io.daemonset.model;

import com.fasterxml.jackson.databind.util.StdConverter;
import java.util.List;

/**
 * Lists that thousands of decoded pods repeat, read once: every daemon pod carries the same tolerations, and the pods
 * of one DaemonSet the same containers; each decoding (the view's of the journal, a hollow agent's of the API) made
 * its own copies of them, a tenth of a pod's heap (docs/performance.md, "mem9"). Applied to the decoded value only
 * ({@code @JsonDeserialize(converter = …)} on the record component): the list read is replaced by an equal,
 * immutable one a recent decoding already made. Lossy and fixed in size (one slot per hash), so it keeps at most
 * {@link #SLOTS} lists beyond their time; racy on purpose: an immutable list in a slot is valid whoever reads it.
 */
public final class SharedLists {
  static final int SLOTS = 256;
  private static final Object[] RECENT = new Object[SLOTS];

  private SharedLists() {}

  /** An equal, immutable list (shared when a recent one is equal); null and lists holding nulls as they are. */
  @SuppressWarnings("unchecked")
  static <T> List<T> share(List<T> list) {
    if (list == null || list.isEmpty() || holdsNull(list)) {
      return list;
    }
    int slot = list.hashCode() & (SLOTS - 1);
    Object kept = RECENT[slot];
    if (list.equals(kept)) {
      return (List<T>) kept;
    }
    List<T> copy = List.copyOf(list);
    RECENT[slot] = copy;
    return copy;
  }

  /** Not {@code contains(null)}: an immutable list throws on it. */
  private static boolean holdsNull(List<?> list) {
    for (Object element : list) {
      if (element == null) {
        return true;
      }
    }
    return false;
  }

  /** For {@code PodSpec.tolerations}. */
  public static final class Tolerations extends StdConverter<List<Toleration>, List<Toleration>> {
    @Override
    public List<Toleration> convert(List<Toleration> value) {
      return share(value);
    }
  }

  /** For {@code PodSpec.containers} and {@code initContainers}. */
  public static final class Containers extends StdConverter<List<Container>, List<Container>> {
    @Override
    public List<Container> convert(List<Container> value) {
      return share(value);
    }
  }
}
