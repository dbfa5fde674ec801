package io.tycostream.triggers.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Refuses webhook targets that resolve to addresses inside the service's own network: loopback, private
 * (site-local, IPv6 unique-local, carrier-grade NAT), link-local, multicast or unspecified. A webhook URL is
 * user input; without this check a trigger could make the service POST to its own admin API or to a cloud metadata
 * endpoint (SSRF).
 * <p>
 * A host is refused if <em>any</em> of its addresses is internal, so a name with one public and one private record
 * cannot slip through. The check resolves the name once on a worker thread (the JDK resolver blocks); the HTTP
 * client resolves it again, so a DNS answer that changes in between (rebinding) is not caught: this is defence in
 * depth behind the admin API's own validation. Thread-safe.
 */
public final class TargetAddressGuard {

  /** The error recorded for an attempt refused by this guard. */
  public static final String NOT_ALLOWED = "target address not allowed";

  private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

  /** Threads for host name lookups: a slow resolver must not occupy the worker pool the SQLite store runs on. */
  public static final int LOOKUP_THREADS = 4;

  private final WorkerExecutor lookups;

  public TargetAddressGuard(Vertx vertx) {
    this.lookups = vertx.createSharedWorkerExecutor("tycostream-webhook-dns", LOOKUP_THREADS);
  }

  /** Succeeds if every address of {@code host} is public; fails with {@link #NOT_ALLOWED} otherwise. */
  public Future<Void> check(String host) {
    return lookups.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false)
      .recover(unresolvable -> Future.failedFuture(new TargetNotAllowedException("unknown host " + host)))
      .compose(addresses -> addresses.stream().anyMatch(TargetAddressGuard::isInternal)
        ? Future.failedFuture(new TargetNotAllowedException(NOT_ALLOWED))
        : Future.succeededFuture());
  }

  /** Releases the lookup threads. */
  public Future<Void> close() {
    return lookups.close();
  }

  /** Whether an address lies in a range a public webhook must never point into. */
  public static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      // 0.0.0.0/8 "this network", 100.64.0.0/10 carrier-grade NAT, 255.255.255.255 broadcast
      return first == 0 || (first == 100 && (second & 0xc0) == 64) || Arrays.equals(bytes, BROADCAST);
    }
    if (address instanceof Inet6Address) {
      // fc00::/7 unique local addresses (the JDK's isSiteLocalAddress only knows the deprecated fec0::/10)
      return (bytes[0] & 0xfe) == 0xfc || isMappedInternal(bytes);
    }
    return false;
  }

  /** An IPv4-compatible {@code ::a.b.c.d} or NAT64 address wrapping an internal IPv4 address. */
  private static boolean isMappedInternal(byte[] bytes) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= bytes[i] == 0;
    }
    if (!compatible) {
      return false;
    }
    try {
      return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
    } catch (java.net.UnknownHostException impossible) {
      return true;
    }
  }

  /** The failure of a refused target; its message is the attempt's error. */
  public static final class TargetNotAllowedException extends RuntimeException {
    TargetNotAllowedException(String message) {
      super(message, null, false, false);
    }
  }
}
