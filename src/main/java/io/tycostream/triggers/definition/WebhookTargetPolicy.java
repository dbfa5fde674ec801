package io.tycostream.triggers.definition;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides where a trigger's webhooks may go, from its URL alone. With {@code delivery.require_https} (the default)
 * an {@code http://} URL is refused. A URL pointing into the service's own network (SSRF defence) is refused unless
 * {@link TargetAllowList delivery.allowed_targets} lists it: loopback, unspecified, private (RFC 1918, carrier-grade NAT, IPv6 unique-local), link-local, multicast, broadcast,
 * reserved, documentation and benchmarking addresses and IPv4-carrying IPv6 forms (mapped, NAT64, 6to4) written as
 * literals, {@code localhost} names, and numeric host forms other than a canonical dotted quad (resolvers read
 * {@code 127.1} or {@code 2130706433} as 127.0.0.1).
 * <p>
 * It looks at the URL only and never resolves a name (so it can run on an event loop): a host name whose DNS answer
 * is private is refused where the connection is made (delivery's connect-time guard, with the same allow-list),
 * which also covers DNS answers that change after creation. A {@code localhost} name passes when the list allows a
 * loopback address (the connection is checked again against what it resolves to); numeric host forms that are not
 * canonical pass only when everything is allowed. Pure and thread-safe.
 */
public final class WebhookTargetPolicy {

  private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  /** A last label starting with a digit is no top-level domain: the host is meant as a number. */
  private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(^|\\.)[0-9][^.]*\\.?$");

  private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

  /** Webhook URLs must be {@code https} unless {@code delivery.require_https} is false. */
  public static final boolean DEFAULT_REQUIRE_HTTPS = true;

  /** The error recorded for a delivery attempt to an {@code http://} URL that {@code require_https} refuses. */
  public static final String HTTPS_REQUIRED = "https required (delivery.require_https)";

  /** What a {@code localhost} name stands for, without looking it up. */
  private static final InetAddress[] LOCALHOST = {literal("127.0.0.1").orElseThrow(), literal("::1").orElseThrow()};

  private final boolean requireHttps;
  private final TargetAllowList allowed;

  /**
   * @param requireHttps whether {@code http://} URLs are refused ({@code delivery.require_https})
   * @param allowed      the internal targets that may be reached anyway ({@code delivery.allowed_targets})
   */
  public WebhookTargetPolicy(boolean requireHttps, TargetAllowList allowed) {
    this.requireHttps = requireHttps;
    this.allowed = Objects.requireNonNull(allowed, "allowed");
  }

  /** The production default: https required, no internal target allowed. */
  public static WebhookTargetPolicy strict() {
    return new WebhookTargetPolicy(DEFAULT_REQUIRE_HTTPS, TargetAllowList.none());
  }

  public boolean requiresHttps() {
    return requireHttps;
  }

  public TargetAllowList allowedTargets() {
    return allowed;
  }

  /** Why {@code url} is refused, or empty when it may be used. */
  public Optional<String> refusal(URI url) {
    if (requireHttps && !"https".equalsIgnoreCase(url.getScheme())) {
      return Optional.of("webhook URL must use https (delivery.require_https is true)");
    }
    if (allowed.allowsEverything()) {
      return Optional.empty();
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      // java.net.URI leaves the host empty for authorities it cannot read as one, such as 127.1 or 999.1.1.1
      return Optional.of("webhook URL '" + url + "' has no host that can be checked");
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (!host.contains(":") && allowed.allowsName(name)) {
      // listed by name: whatever it resolves to is checked against the same list when the attempt connects
      return Optional.empty();
    }
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      boolean loopbackAllowed = Arrays.stream(LOCALHOST).anyMatch(allowed::allowsAddress);
      return loopbackAllowed ? Optional.empty() : Optional.of(refused(host));
    }
    if (!host.contains(":") && !NUMERIC_LAST_LABEL.matcher(host).find()) {
      return Optional.empty();
    }
    Optional<InetAddress> address = literal(host);
    if (address.isEmpty()) {
      return Optional.of("webhook host '" + host + "' is a numeric address that is not a canonical dotted quad or"
          + " IPv6 literal");
    }
    if (host.contains(":") && address.get() instanceof Inet4Address) {
      // the JDK reads ::ffff:a.b.c.d as the IPv4 address itself; an IPv4 address in IPv6 clothing is refused as such
      return Optional.of("webhook host '" + host + "' is an IPv4-mapped IPv6 address; write the IPv4 address");
    }
    return isInternal(address.get()) && !allowed.allowsAddress(address.get()) ? Optional.of(refused(url.getHost()))
        : Optional.empty();
  }

  /**
   * Whether an address lies in a range a public webhook must never point into: loopback, private (site-local, IPv6
   * unique-local, carrier-grade NAT), link-local, multicast, unspecified, broadcast, the IETF-reserved, documentation
   * and benchmarking ranges, or an IPv6 form that carries an IPv4 address (NAT64, 6to4, IPv4-compatible), whose
   * IPv4 half could be anything behind a translator. The one definition of "internal" for the API's check and
   * delivery's connect-time check.
   */
  public static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return isReservedIpv4(bytes);
    }
    if (address instanceof Inet6Address) {
      int first16 = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
      int second16 = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
      int third16 = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
      boolean nat64 = first16 == 0x0064 && second16 == 0xff9b && (third16 == 0 || third16 == 1);
      // fc00::/7 unique local (the JDK's isSiteLocalAddress only knows the deprecated fec0::/10); 2002::/16 6to4;
      // 64:ff9b::/96 and 64:ff9b:1::/48 NAT64
      return (bytes[0] & 0xfe) == 0xfc || first16 == 0x2002 || nat64 || isCompatibleInternal(bytes);
    }
    return false;
  }

  private static boolean isReservedIpv4(byte[] bytes) {
    int first = bytes[0] & 0xff;
    int second = bytes[1] & 0xff;
    int third = bytes[2] & 0xff;
    return first == 0                                              // 0.0.0.0/8 "this network"
        || (first == 100 && (second & 0xc0) == 64)                 // 100.64.0.0/10 carrier-grade NAT
        || (first == 192 && second == 0 && (third == 0 || third == 2)) // 192.0.0.0/24 IETF, 192.0.2.0/24 TEST-NET-1
        || (first == 198 && (second & 0xfe) == 18)                 // 198.18.0.0/15 benchmarking
        || (first == 198 && second == 51 && third == 100)          // 198.51.100.0/24 TEST-NET-2
        || (first == 203 && second == 0 && third == 113)           // 203.0.113.0/24 TEST-NET-3
        || first >= 240                                            // 240.0.0.0/4 reserved, 255.255.255.255
        || Arrays.equals(bytes, BROADCAST);
  }

  /** An IPv4-compatible {@code ::a.b.c.d} address wrapping an internal IPv4 address. */
  private static boolean isCompatibleInternal(byte[] bytes) {
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

  /** A literal address; callers pass only literal forms, so no name lookup happens. */
  private static Optional<InetAddress> literal(String host) {
    if (!host.contains(":")) {
      var quad = DOTTED_QUAD.matcher(host);
      if (!quad.matches()) {
        return Optional.empty();
      }
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(quad.group(i + 1));
        if (part > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) part;
      }
      try {
        return Optional.of(InetAddress.getByAddress(bytes));
      } catch (UnknownHostException impossible) {
        return Optional.empty();
      }
    }
    try {
      // brackets make the JDK parse an IPv6 literal or fail, never look the text up as a name
      return Optional.of(InetAddress.getByName("[" + host + "]"));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String refused(String host) {
    return "webhook host '" + host + "' is a loopback, private or link-local address; such targets are refused"
        + " unless delivery.allowed_targets lists them";
  }
}
