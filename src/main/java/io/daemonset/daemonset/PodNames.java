package io.daemonset.daemonset;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Pod names and uids from a per-DaemonSet ordinal, so that they are unique by construction and a replay
 * or a table test gives the same ones. The name is upstream's generateName ({@code <ds>-}, truncated to
 * 58 characters) plus a suffix of upstream's alphabet; the suffix is a bijection of the ordinal over the
 * 27^5 five-character suffixes (multiply by a constant prime to 27, add an offset from the DaemonSet's name),
 * one character longer for each further block, so two ordinals never give one name. The offset comes from the
 * name, not the uid: the ordinals carry over when a DaemonSet is deleted and created again under its name, and
 * with a uid's offset the new incarnation's ordinal i met the old one's ordinal j whenever i - j was one value set
 * by the two uids (a re-created DaemonSet's pods took names its predecessor's still-bound pods held).
 */
public final class PodNames {
  static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  /** Upstream's maxGeneratedNameLength: 63 minus the 5 random characters. */
  static final int MAX_BASE_LENGTH = 58;
  private static final int SUFFIX_LENGTH = 5;
  private static final BigInteger RADIX = BigInteger.valueOf(ALPHABET.length());
  /** Prime to 27, so that multiplying by it permutes the residues; large, so neighbours look unrelated. */
  private static final BigInteger SPREAD = BigInteger.valueOf(2_654_435_761L);

  private PodNames() {}

  /** Upstream's generateName for a DaemonSet's pods, truncated as SimpleNameGenerator truncates it. */
  public static String generateName(String daemonSetName) {
    String base = daemonSetName + "-";
    return base.length() > MAX_BASE_LENGTH ? base.substring(0, MAX_BASE_LENGTH) : base;
  }

  public static String podName(String daemonSetName, long ordinal) {
    return generateName(daemonSetName) + suffix(daemonSetName, ordinal);
  }

  static String suffix(String daemonSetName, long ordinal) {
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal must be >= 0, was " + ordinal);
    }
    int length = SUFFIX_LENGTH;
    BigInteger index = BigInteger.valueOf(ordinal);
    BigInteger block = RADIX.pow(length);
    while (index.compareTo(block) >= 0) {
      index = index.subtract(block);
      length++;
      block = RADIX.pow(length);
    }
    BigInteger offset = BigInteger.valueOf(daemonSetName == null ? 0 : daemonSetName.hashCode()).mod(block);
    BigInteger value = index.multiply(SPREAD).add(offset).mod(block);
    char[] out = new char[length];
    for (int i = length - 1; i >= 0; i--) {
      BigInteger[] qr = value.divideAndRemainder(RADIX);
      out[i] = ALPHABET.charAt(qr[1].intValue());
      value = qr[0];
    }
    return new String(out);
  }

  /** A name-based uid: deterministic for (DaemonSet uid, ordinal), unique across the cluster. */
  public static String podUid(String daemonSetUid, long ordinal) {
    return UUID.nameUUIDFromBytes((daemonSetUid + "/pod/" + ordinal).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
