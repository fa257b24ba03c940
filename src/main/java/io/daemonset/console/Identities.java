package io.daemonset.console;

import io.daemonset.auth.Identity;
import io.daemonset.auth.TokenFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a session's token digest stands for, read from tokens.csv at every request: a token removed from the file
 * (revoked) ends its sessions. The digests are recomputed only when the file's entries change.
 */
final class Identities {
  private final TokenFile tokens;
  private List<TokenFile.Entry> seen;
  private Map<String, Identity> byDigest = Map.of();

  Identities(TokenFile tokens) {
    this.tokens = tokens;
  }

  synchronized Optional<Identity> of(String tokenDigest) {
    List<TokenFile.Entry> now = tokens.entries();
    if (now != seen) {
      Map<String, Identity> next = new HashMap<>();
      now.forEach(e -> next.putIfAbsent(Secrets.sha256(e.token()), e.identity()));
      byDigest = next;
      seen = now;
    }
    return Optional.ofNullable(byDigest.get(tokenDigest)).map(Identity::authenticated);
  }
}
