package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node credential an agent got in exchange for its bootstrap token, kept in {@code <work-dir>/node-credential}
 * (JSON: nodeName, user, token; mode 0600) so that a restarted agent uses it again without the exchange, as a
 * kubelet keeps its client certificate. A credential stored for another node name is ignored.
 */
final class NodeCredentials {
  static final String FILE = "node-credential";

  private NodeCredentials() {}

  static Path file(Path workDir) {
    return workDir.resolve(FILE);
  }

  /** The stored token of nodeName, if any. */
  static Optional<String> load(Path workDir, String nodeName) {
    Path file = file(workDir);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode stored = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (stored == null || !nodeName.equals(stored.path("nodeName").asText())) {
        return Optional.empty();
      }
      String token = stored.path("token").asText("");
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static void save(Path workDir, String nodeName, String token) {
    Map<String, String> content = new LinkedHashMap<>();
    content.put("nodeName", nodeName);
    content.put("user", "system:node:" + nodeName);
    content.put("token", token);
    try {
      Files.createDirectories(workDir);
      Path tmp = Files.createTempFile(workDir, "." + FILE, ".tmp");
      try {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(tmp, Json.write(content) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file(workDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the node credential in " + file(workDir), e);
    }
  }

  static void forget(Path workDir) {
    try {
      Files.deleteIfExists(file(workDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
