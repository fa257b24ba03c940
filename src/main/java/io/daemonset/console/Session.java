package io.daemonset.console;

import io.daemonset.journal.JsonSerializable;
import java.time.Instant;

/**
 * A signed-in console user, as every member of the cluster keeps it (replicated, see {@link SessionStore}).
 * It holds neither the token nor the session id: the id is known only to the browser (its cookie) and here by its
 * digest, the token only by its digest (so a token removed from tokens.csv ends its sessions at once).
 *
 * @param idDigest SHA-256 of the session id in the cookie (the key under which it is replicated)
 * @param tokenDigest SHA-256 of the token the user signed in with
 * @param user the token's user when signing in (for the page header and logs; identity is always re-read)
 * @param csrf the synchronizer token every action of this session must carry
 * @param expires when the session ends, whatever happens
 */
public record Session(String idDigest, String tokenDigest, String user, String csrf, Instant created, Instant expires)
    implements JsonSerializable {

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expires);
  }
}
