package io.daemonset.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The per-entity hash chain: each event's digest is SHA-256 over the previous digest, the persistence id, the
 * sequence number, the serializer id, the manifest and the payload bytes exactly as stored. The first event of
 * an entity chains from {@link #GENESIS}. Pure: the sealer and the verifier compute the same thing.
 */
public final class ChainDigest {
  /** The "previous digest" of an entity's first event: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);
  private static final HexFormat HEX = HexFormat.of();

  private ChainDigest() {}

  /** The chained digest of one row, in lower-case hex. */
  public static String of(String previous, JournalRow row) {
    MessageDigest sha = sha256();
    sha.update(HEX.parseHex(previous));
    sha.update(row.persistenceId().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(ByteBuffer.allocate(12).putLong(row.sequenceNr()).putInt(row.serializerId()).array());
    sha.update(row.manifest().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(row.payload());
    return HEX.formatHex(sha.digest());
  }

  /** SHA-256 of the payload alone: tells an edited row from a moved one. */
  public static String ofPayload(byte[] payload) {
    return HEX.formatHex(sha256().digest(payload));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
