package io.daemonset.agent;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files as the kubelet's AtomicWriter does, so that a reader never sees half an update: the files
 * go into a fresh hidden directory {@code ..<timestamp>}, the symlink {@code ..data} is switched to it by a rename,
 * and each visible name is a symlink through {@code ..data} ({@code key -> ..data/key}). An unchanged payload is
 * not rewritten.
 */
public final class AtomicWriter {
  static final String DATA = "..data";

  private AtomicWriter() {}

  /** Returns true when the files changed. */
  public static boolean write(Path dir, Map<String, PodConfig.File> files) throws IOException {
    Files.createDirectories(dir);
    Path current = dir.resolve(DATA);
    if (Files.exists(current) && same(current, files)) {
      return false;
    }
    Path fresh = Files.createTempDirectory(dir, ".." + System.currentTimeMillis() + ".");
    for (var e : files.entrySet()) {
      Path file = fresh.resolve(e.getKey()).normalize();
      if (!file.startsWith(fresh)) {
        throw new IOException("path " + e.getKey() + " leaves the volume");
      }
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue().content());
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
      }
    }
    Path old = Files.isSymbolicLink(current) ? dir.resolve(Files.readSymbolicLink(current)) : null;
    Path tmpLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, fresh.getFileName());
    Files.move(tmpLink, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Set<String> visible = new HashSet<>();
    files.keySet().forEach(k -> visible.add(k.split("/")[0]));
    for (String name : visible) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(DATA, name));
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String n = p.getFileName().toString();
        if (!n.startsWith("..") && !visible.contains(n) && Files.isSymbolicLink(p)) {
          Files.delete(p);
        }
      }
    }
    if (old != null && !old.equals(fresh)) {
      deleteTree(old);
    }
    return true;
  }

  private static boolean same(Path current, Map<String, PodConfig.File> files) throws IOException {
    Set<String> present = new HashSet<>();
    try (Stream<Path> walk = Files.walk(current.toRealPath())) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        present.add(current.toRealPath().relativize(p).toString());
      }
    }
    if (!present.equals(files.keySet())) {
      return false;
    }
    for (var e : files.entrySet()) {
      if (!Arrays.equals(Files.readAllBytes(current.resolve(e.getKey())), e.getValue().content())) {
        return false;
      }
    }
    return true;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        out.add(order[bit]);
      }
    }
    out.add(PosixFilePermission.OWNER_READ); // the agent must read back what it wrote
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
