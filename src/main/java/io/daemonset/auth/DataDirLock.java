package io.daemonset.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to the identity files of a data directory shared by several members (one machine, or a
 * shared volume): the first member to start creates the CA, the serving certificate and tokens.csv while the others
 * wait, then read what it made, so two members starting together never make two CAs. An OS file lock on
 * {@code <data-dir>/.identity.lock} orders JVMs; a lock per directory orders the threads of one JVM (tests run
 * several members in one JVM, and one JVM may not hold two OS locks on one file).
 */
public final class DataDirLock {
  public static final String LOCK_FILE = ".identity.lock";
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private DataDirLock() {}

  /** What {@link #locked} runs. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws IOException;
  }

  public static <T> T locked(Path dataDir, Work<T> work) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    ReentrantLock jvm = IN_JVM.computeIfAbsent(dir, d -> new ReentrantLock());
    jvm.lock();
    try {
      if (jvm.getHoldCount() > 1) {
        return work.run();
      }
      try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
           FileLock ignored = channel.lock()) {
        return work.run();
      }
    } finally {
      jvm.unlock();
    }
  }
}
