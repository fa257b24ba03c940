package io.daemonset.audit;

import io.daemonset.daemonset.DaemonSetEntity;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Every event type this release can persist, found rather than listed: the Event type argument of every
 * EventSourcedBehavior among the main classes, expanded through its sealed hierarchy to the concrete records. A new
 * entity, or a new record in an entity's sealed Event, is found without anyone remembering to add it. The same for
 * the entities' commands that other members send.
 */
final class PersistedEventTypes {
  private PersistedEventTypes() {}

  static List<Class<?>> all() throws IOException {
    return typeArgument(1);
  }

  /**
   * The commands other members send to these entities: the public concrete types of their sealed Command (the
   * package-private ones are an entity's messages to itself; enums are its timers).
   */
  static List<Class<?>> publicCommands() throws IOException {
    return typeArgument(0).stream()
        .filter(c -> !c.isEnum() && java.lang.reflect.Modifier.isPublic(c.getModifiers())).toList();
  }

  /** The entities' states, which their snapshots hold. */
  static List<Class<?>> snapshots() throws IOException {
    return typeArgument(2);
  }

  /** The concrete types of the behaviors' C (0), E (1) or S (2), sorted by name. */
  private static List<Class<?>> typeArgument(int index) throws IOException {
    Set<Class<?>> types = new TreeSet<>(Comparator.comparing(Class::getName));
    for (Class<?> behavior : eventSourcedBehaviors()) {
      Class<?> type = typeArgumentOf(behavior, index);
      if (type == null) {
        throw new IllegalStateException(behavior + ": its type argument " + index + " is not a class");
      }
      concrete(type, types);
    }
    return List.copyOf(types);
  }

  /** The main classes (the directory or jar DaemonSetEntity came from) that are event-sourced behaviors. */
  static List<Class<?>> eventSourcedBehaviors() throws IOException {
    Path root;
    try {
      root = Path.of(DaemonSetEntity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (!Files.isDirectory(root)) {
      throw new IOException("main classes are not a directory: " + root);
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
              .replaceAll("\\.class$", ""))
          .filter(name -> name.startsWith("io.daemonset."))
          .map(PersistedEventTypes::load)
          .filter(c -> EventSourcedBehavior.class.isAssignableFrom(c))
          .<Class<?>>map(c -> c)
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, PersistedEventTypes.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }

  /** The C (0), E (1) or S (2) of the nearest EventSourcedBehavior<C, E, S> (or ...WithEnforcedReplies) above it. */
  static Class<?> typeArgumentOf(Class<?> behavior, int index) {
    for (Class<?> c = behavior; c != null && c != Object.class; c = c.getSuperclass()) {
      Type parent = c.getGenericSuperclass();
      if (parent instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
          && EventSourcedBehavior.class.isAssignableFrom(raw) && p.getActualTypeArguments().length == 3) {
        return p.getActualTypeArguments()[index] instanceof Class<?> e ? e : null;
      }
    }
    return null;
  }

  private static void concrete(Class<?> type, Set<Class<?>> into) {
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        concrete(sub, into);
      }
    } else if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalStateException(type + " is an open hierarchy: seal it, so its types can be listed");
    } else {
      into.add(type);
    }
  }
}
