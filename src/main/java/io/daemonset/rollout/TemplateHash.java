package io.daemonset.rollout;

import io.daemonset.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * The revision hash of a pod template: upstream controller.ComputeHash, the value of the
 * {@code controller-revision-hash} label and the suffix of the ControllerRevision's name.
 *
 * <p>Upstream hashes Go's deep printing of the template struct, which no JVM can reproduce byte for
 * byte. We keep everything else: FNV-1a 32 over the template's canonical JSON (sorted keys, compact,
 * UTF-8, through the model's Json mapper, so absent fields are omitted), then, when collisionCount is
 * set, the 8 bytes upstream writes for it (the count as a little-endian uint32 and four zero bytes);
 * the unsigned decimal of the sum is encoded with rand.SafeEncodeString's alphabet, one character per
 * digit. The result is stable across JVMs and restarts for an equal template, and looks like upstream's
 * ("6799fc88d8"), but it does not equal upstream's hash of the same template.
 */
public final class TemplateHash {

  /** rand.SafeEncodeString's alphabet: no vowels, no easily confused characters. */
  static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final int FNV32_OFFSET = 0x811c9dc5;
  private static final int FNV32_PRIME = 0x01000193;

  private TemplateHash() {}

  public static String of(PodTemplateSpec template, Integer collisionCount) {
    byte[] json = CanonicalJson.write(CanonicalJson.tree(template)).getBytes(StandardCharsets.UTF_8);
    int hash = fnv1a32(FNV32_OFFSET, json);
    if (collisionCount != null) {
      int c = collisionCount;
      byte[] count = {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), 0, 0, 0, 0};
      hash = fnv1a32(hash, count);
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  static int fnv1a32(int start, byte[] bytes) {
    int hash = start;
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= FNV32_PRIME;
    }
    return hash;
  }

  static int fnv1a32(byte[] bytes) {
    return fnv1a32(FNV32_OFFSET, bytes);
  }

  /** rand.SafeEncodeString: each character replaced by the alphabet's entry at its code modulo 27. */
  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.chars().forEach(c -> out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length())));
    return out.toString();
  }
}
