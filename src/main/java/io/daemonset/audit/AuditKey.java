package io.daemonset.audit;

import io.daemonset.auth.DataFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs checkpoints of the chain heads (HMAC-SHA256). It never goes into the database: it is the
 * environment's {@code DS_AUDIT_KEY} (base64 of at least 32 bytes; give every JVM of a cluster the same one), or
 * else the file {@code <data-dir>/audit-key} (mode 0600), created on first use by {@code serve}.
 */
public final class AuditKey {
  public static final String ENV = "DS_AUDIT_KEY";
  public static final String FILE_NAME = "audit-key";
  private static final int BYTES = 32;

  private final byte[] secret;
  private final String source;

  private AuditKey(byte[] secret, String source) {
    if (secret.length < BYTES) {
      throw new IllegalArgumentException("the audit key from " + source + " is shorter than " + BYTES + " bytes");
    }
    this.secret = secret.clone();
    this.source = source;
  }

  public static AuditKey of(String base64, String source) {
    try {
      return new AuditKey(Base64.getDecoder().decode(base64.trim()), source);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the audit key from " + source + " is not base64: " + e.getMessage());
    }
  }

  /** The environment's key, else the file's; empty when neither exists. */
  public static Optional<AuditKey> find(String envValue, Path file) throws IOException {
    if (envValue != null && !envValue.isBlank()) {
      return Optional.of(of(envValue, ENV));
    }
    if (file != null && Files.exists(file)) {
      return Optional.of(of(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    }
    return Optional.empty();
  }

  /** {@link #find}, creating the file with a fresh random key when there is none. */
  public static AuditKey findOrCreate(String envValue, Path file) throws IOException {
    Optional<AuditKey> found = find(envValue, file);
    if (found.isPresent()) {
      return found.get();
    }
    byte[] fresh = new byte[BYTES];
    new SecureRandom().nextBytes(fresh);
    DataFiles.write(file, Base64.getEncoder().encodeToString(fresh) + "\n", true);
    return new AuditKey(fresh, file.toString());
  }

  /** Where it came from, for messages (never the key itself). */
  public String source() {
    return source;
  }

  /** HMAC-SHA256 of the text, in hex. */
  public String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is in every Java runtime", e);
    }
  }

  /** Constant-time comparison of a stored signature with the text's. */
  public boolean verifies(String text, String signature) {
    return java.security.MessageDigest.isEqual(sign(text).getBytes(StandardCharsets.US_ASCII),
        signature == null ? new byte[0] : signature.getBytes(StandardCharsets.US_ASCII));
  }
}
