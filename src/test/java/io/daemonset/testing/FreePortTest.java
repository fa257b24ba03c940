package io.daemonset.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void portsAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = JarProcess.freePort();
      assertThat(port).isLessThan(JarProcess.ephemeralRangeStart());
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
    }
    int port = JarProcess.freePort();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
