package io.daemonset.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Encryption at rest of what must never reach the journal or a snapshot in clear (Secret data), as upstream's
 * EncryptionConfiguration with the {@code aesgcm} provider: AES-256-GCM, a fresh 12-byte nonce per write, the
 * object's identity as associated data (a ciphertext copied onto another object does not open).
 *
 * <p>A keyring is an ordered list of named keys: the first encrypts, every one decrypts what it wrote (each
 * {@link Sealed} names its key). Rotation: put a new key first, restart every member, keep the old keys for as
 * long as the journal holds events they wrote (events are never rewritten). Keys come from
 * {@code DS_ENCRYPTION_KEYS} ({@code name:base64key,name:base64key}; the same value on every member of a cluster)
 * or else from {@code <data-dir>/encryption-keys} (one {@code name:base64key} a line, created with a fresh key on
 * the first start, mode 0600).
 */
public final class EncryptionKeys implements Extension {
  public static final String ENV = "DS_ENCRYPTION_KEYS";
  public static final String FILE = "encryption-keys";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A ciphertext as stored: which key, and base64(nonce ‖ ciphertext ‖ tag). */
  public record Sealed(String key, String value) implements JsonSerializable {}

  private final String writeKey;
  private final Map<String, SecretKeySpec> keys;

  private EncryptionKeys(Map<String, SecretKeySpec> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an encryption keyring needs at least one key");
    }
    this.keys = Map.copyOf(keys);
    this.writeKey = keys.keySet().iterator().next();
  }

  /** {@code name:base64key} entries, the first one encrypting; blank entries and # comments are skipped. */
  public static EncryptionKeys parse(List<String> entries) {
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    for (String raw : entries) {
      String entry = raw.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("an encryption key is name:base64key, got an entry without a name");
      }
      byte[] key = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
      if (key.length != 32) {
        throw new IllegalArgumentException("encryption key " + entry.substring(0, colon) + " must be 32 bytes (AES-256)");
      }
      keys.putIfAbsent(entry.substring(0, colon), new SecretKeySpec(key, "AES"));
    }
    return new EncryptionKeys(keys);
  }

  /** A new key entry "name:base64key" with 32 random bytes. */
  public static String newKeyEntry(String name) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return name + ":" + Base64.getEncoder().encodeToString(key);
  }

  /** The keyring from the environment's value when set, else from the data directory's file (created if missing). */
  public static EncryptionKeys load(String environmentValue, Path dataDir) {
    if (environmentValue != null && !environmentValue.isBlank()) {
      return parse(List.of(environmentValue.split(",")));
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        writeNew(file);
      }
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the encryption keys " + file, e);
    }
  }

  private static void writeNew(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + FILE, ".tmp");
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, "# AES-256-GCM keys of Secret data at rest: the first encrypts, all decrypt.\n"
          + "# Rotate: add a new key as the first line, restart, keep old lines while the journal holds their events.\n"
          + newKeyEntry("key1") + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another member sharing the directory wrote it first: use theirs
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The name of the key that encrypts new writes. */
  public String writeKey() {
    return writeKey;
  }

  public List<String> names() {
    return new ArrayList<>(keys.keySet());
  }

  public Sealed seal(byte[] plain, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(writeKey), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return new Sealed(writeKey, Base64.getEncoder().encodeToString(out));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** @throws IllegalStateException when the key is unknown here or the ciphertext or associated data were altered */
  public byte[] open(Sealed sealed, String associatedData) {
    SecretKeySpec key = keys.get(sealed.key());
    if (key == null) {
      throw new IllegalStateException("encryption key " + sealed.key() + " is not in this member's keyring "
          + names() + ": give every member the same keys (" + ENV + " or <data-dir>/" + FILE + ")");
    }
    byte[] in = Base64.getDecoder().decode(sealed.value());
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt data sealed with key " + sealed.key() + " for "
          + associatedData + ": altered, or another key of the same name", e);
    }
  }

  // ---- one keyring per ActorSystem ------------------------------------------------------------------

  /** The keyring of a control-plane member: {@value #ENV}, else {@code <daemonset.data-dir>/encryption-keys}. */
  public static EncryptionKeys get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  static final class Id extends ExtensionId<EncryptionKeys> {
    static final Id INSTANCE = new Id();

    @Override
    public EncryptionKeys createExtension(ActorSystem<?> system) {
      var config = system.settings().config();
      String fromConfig = config.hasPath("daemonset.encryption.keys") ? config.getString("daemonset.encryption.keys")
          : null;
      String value = System.getenv(ENV) != null ? System.getenv(ENV) : fromConfig;
      Path dir = Path.of(config.hasPath("daemonset.data-dir") ? config.getString("daemonset.data-dir") : "data");
      return load(value, dir);
    }
  }
}
