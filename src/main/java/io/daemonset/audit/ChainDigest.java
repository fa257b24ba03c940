package io.daemonset.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The per-entity hash chain: each event's digest is SHA-256 over the previous digest, the persistence id, the
 * sequence number, the serializer id, the manifest and the payload exactly as stored, or (format 2) the payload's
 * own SHA-256. The first event of an entity chains from {@link #GENESIS}. Pure: the sealer, the verifier and the
 * archiver compute the same thing.
 */
public final class ChainDigest {
  /** The "previous digest" of an entity's first event: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);
  /**
   * One SHA-256 per thread, reset by each {@code digest()}: {@code MessageDigest.getInstance} looks the provider's
   * service up at every call, two or three times per link.
   */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChainDigest::newSha256);

  /** How a link covers the payload. One per database ({@link ChainTables#format}), one per archive file. */
  public enum Format {
    /** The payload bytes themselves: every payload was hashed twice, once here and once for its own digest. */
    V1(1),
    /**
     * The payload's own SHA-256, which the link table keeps anyway: each payload is hashed once. Under C1 alone
     * (what the image runs) SHA-256 has no intrinsic, and the second pass was a tenth of a write-bound journal's CPU.
     * The input starts, after the previous digest, with a zero byte and the version, where a format 1 input holds
     * the persistence id: no format 1 link of an entity can equal a format 2 one.
     */
    V2(2);

    public final int version;

    Format(int version) {
      this.version = version;
    }

    public static Format of(int version) {
      for (Format f : values()) {
        if (f.version == version) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown audit chain format " + version + " (a newer release wrote it)");
    }
  }

  /** One row's two digests, in lower-case hex: its payload's, and the chained one. */
  public record Digests(String payload, String chained) {}

  private ChainDigest() {}

  /** The chained digest of one row, and its payload's digest, hashing the payload once in {@link Format#V2}. */
  public static Digests of(Format format, String previous, JournalRow row) {
    byte[] payload = sha256().digest(row.payload());
    return new Digests(Hex.format(payload), link(format, previous, row.persistenceId(), row.sequenceNr(),
        row.serializerId(), row.manifest(), format == Format.V2 ? payload : row.payload()));
  }

  /**
   * The digests of a row whose payload's SHA-256 is known already (the database computed it): format 2 only, where
   * a link covers that digest and not the payload. Equal to {@link #of} for the same row.
   */
  public static Digests ofPayloadDigest(String previous, String persistenceId, long sequenceNr, int serializerId,
                                        String manifest, byte[] payloadDigest) {
    return new Digests(Hex.format(payloadDigest),
        link(Format.V2, previous, persistenceId, sequenceNr, serializerId, manifest, payloadDigest));
  }

  /** SHA-256 over the previous digest, the row's coordinates and {@code covered} (the payload, or its digest). */
  private static String link(Format format, String previous, String persistenceId, long sequenceNr, int serializerId,
                             String manifest, byte[] covered) {
    MessageDigest sha = sha256();
    sha.update(Hex.parse(previous));
    if (format == Format.V2) {
      sha.update((byte) 0);
      sha.update((byte) format.version);
    }
    sha.update(persistenceId.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(ByteBuffer.allocate(12).putLong(sequenceNr).putInt(serializerId).array());
    sha.update(manifest.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(covered);
    return Hex.format(sha.digest());
  }

  /** The chained digest of one row, in lower-case hex. */
  public static String chained(Format format, String previous, JournalRow row) {
    return of(format, previous, row).chained();
  }

  /** SHA-256 of the payload alone: tells an edited row from a moved one. */
  public static String ofPayload(byte[] payload) {
    return Hex.format(sha256().digest(payload));
  }

  /** This thread's SHA-256, reset; a caller finishes one digest before it starts another. */
  private static MessageDigest sha256() {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return sha;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
