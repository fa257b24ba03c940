package io.daemonset.node;

import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * How many nodes the fleet has, as this member's view counts them: what the node entities size their lease terms
 * by. An entity may start before the view (an agent's heartbeat or a DaemonSet's ask wakes it), so the view plugs its
 * count in when it exists; until then the fleet counts as empty and leases are granted as the agents ask, which the
 * view's start (seconds) ends long before a node's first grace period could.
 */
public final class FleetSize implements Extension {
  private static final ExtensionId<FleetSize> ID = new ExtensionId<>() {
    @Override
    public FleetSize createExtension(ActorSystem<?> system) {
      return new FleetSize();
    }
  };

  private volatile IntSupplier nodes = () -> 0;

  public static FleetSize get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void countedBy(IntSupplier counter) {
    this.nodes = counter;
  }

  public int nodes() {
    return nodes.getAsInt();
  }
}
