package io.tycostream.triggers.definition;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The internal targets a webhook may reach anyway ({@code delivery.allowed_targets}): the exception list to the SSRF
 * refusal of {@link WebhookTargetPolicy#isInternal internal} addresses. Entries are
 * <ul>
 *   <li>an address range in CIDR notation, IPv4 or IPv6 ({@code 10.20.0.0/16}, {@code fd00:1234::/32}), or a single
 *       address ({@code 127.0.0.1}, {@code ::1}): allows every address inside it;</li>
 *   <li>a host name ({@code hooks.internal.example}): allows whatever that name resolves to, when the URL names it;
 *   </li>
 *   <li>a suffix wildcard ({@code *.internal.example}): like a host name, for every name ending in
 *       {@code .internal.example} (not {@code internal.example} itself, and only whole labels).</li>
 * </ul>
 * Public addresses need no entry. An empty list allows no internal target; {@link #everything()} (the deprecated
 * {@code allow_private_targets: true}) allows all. Immutable and thread-safe; never resolves a name.
 */
public final class TargetAllowList {

  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

  private static final TargetAllowList NONE = new TargetAllowList(List.of(), List.of(), List.of(), false);
  private static final TargetAllowList EVERYTHING = new TargetAllowList(List.of(), List.of(), List.of(), true);

  /** An address range: the first {@code prefixLength} bits of {@code network}. */
  private record Cidr(byte[] network, int prefixLength) {

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int fullBytes = prefixLength / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int restBits = prefixLength % 8;
      if (restBits == 0) {
        return true;
      }
      int mask = (0xff << (8 - restBits)) & 0xff;
      return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }

  private final List<Cidr> ranges;
  private final List<String> names;
  private final List<String> suffixes;
  private final boolean everything;

  private TargetAllowList(List<Cidr> ranges, List<String> names, List<String> suffixes, boolean everything) {
    this.ranges = ranges;
    this.names = names;
    this.suffixes = suffixes;
    this.everything = everything;
  }

  /** No internal target allowed: the default. */
  public static TargetAllowList none() {
    return NONE;
  }

  /** Every internal target allowed: the deprecated {@code delivery.allow_private_targets: true}. */
  public static TargetAllowList everything() {
    return EVERYTHING;
  }

  /**
   * Reads the entries of {@code delivery.allowed_targets}.
   *
   * @throws InvalidEntryException for the first entry that is neither a CIDR, an address, a host name nor a
   *                               {@code *.}suffix, with its index
   */
  public static TargetAllowList of(List<String> entries) {
    List<Cidr> ranges = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = Objects.requireNonNull(entries.get(i), "entry").strip().toLowerCase(Locale.ROOT);
      try {
        if (entry.startsWith("*.")) {
          suffixes.add("." + hostName(entry.substring(2)));
        } else if (entry.contains("/") || entry.contains(":") || DOTTED_QUAD.matcher(entry).matches()) {
          ranges.add(cidr(entry));
        } else {
          names.add(hostName(entry));
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidEntryException(i, "'" + entries.get(i) + "' " + e.getMessage());
      }
    }
    return ranges.isEmpty() && names.isEmpty() && suffixes.isEmpty() ? NONE
        : new TargetAllowList(List.copyOf(ranges), List.copyOf(names), List.copyOf(suffixes), false);
  }

  /** Whether every internal target is allowed (the deprecated alias). */
  public boolean allowsEverything() {
    return everything;
  }

  /** Whether nothing internal is allowed. */
  public boolean isEmpty() {
    return !everything && ranges.isEmpty() && names.isEmpty() && suffixes.isEmpty();
  }

  /**
   * Whether {@code host} (a URL's host name, lower case, no trailing dot needed) is listed by name or suffix, so
   * whatever it resolves to may be reached.
   */
  public boolean allowsName(String host) {
    if (everything) {
      return true;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (names.contains(name)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code address} lies in a listed range. */
  public boolean allowsAddress(InetAddress address) {
    if (everything) {
      return true;
    }
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    if (everything) {
      return "[everything]";
    }
    List<String> printed = new ArrayList<>();
    for (Cidr range : ranges) {
      try {
        printed.add(InetAddress.getByAddress(range.network()).getHostAddress() + "/" + range.prefixLength());
      } catch (UnknownHostException impossible) {
        printed.add("?");
      }
    }
    printed.addAll(names);
    suffixes.forEach(suffix -> printed.add("*" + suffix));
    return printed.toString();
  }

  private static Cidr cidr(String entry) {
    int slash = entry.indexOf('/');
    String addressPart = slash < 0 ? entry : entry.substring(0, slash);
    InetAddress address = literal(addressPart);
    int maxBits = address.getAddress().length * 8;
    int prefix = maxBits;
    if (slash >= 0) {
      String bits = entry.substring(slash + 1);
      if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > maxBits) {
        throw new IllegalArgumentException("is not a CIDR range: the prefix length must be 0.." + maxBits);
      }
      prefix = Integer.parseInt(bits);
    }
    return new Cidr(address.getAddress(), prefix);
  }

  /** An IPv4 dotted quad or an IPv6 literal, parsed without a lookup. */
  private static InetAddress literal(String text) {
    try {
      if (text.contains(":")) {
        // brackets make the JDK parse an IPv6 literal or fail, never look the text up as a name
        InetAddress address = InetAddress.getByName("[" + text + "]");
        if (address.getAddress().length != 16) {
          // the JDK reads ::ffff:a.b.c.d as the IPv4 address itself
          throw new IllegalArgumentException("is an IPv4-mapped IPv6 address; write the IPv4 address or range");
        }
        return address;
      }
      if (DOTTED_QUAD.matcher(text).matches()) {
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int part = Integer.parseInt(parts[i]);
          if (part > 255) {
            throw new IllegalArgumentException("is not an IPv4 address");
          }
          bytes[i] = (byte) part;
        }
        return InetAddress.getByAddress(bytes);
      }
    } catch (UnknownHostException e) {
      // reported below
    }
    throw new IllegalArgumentException("is not an IP address or CIDR range (like 10.0.0.0/8 or fd00::/8)");
  }

  private static String hostName(String text) {
    String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (name.isEmpty() || name.length() > 253) {
      throw new IllegalArgumentException("is not a host name");
    }
    for (String label : name.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("is not a host name, an IP address, a CIDR range or *.suffix");
      }
    }
    if (Character.isDigit(name.charAt(name.length() - 1)) && name.chars().allMatch(c -> c == '.'
        || Character.isDigit(c))) {
      throw new IllegalArgumentException("is not an IPv4 address");
    }
    return name;
  }

  /** An entry that cannot be read; {@link #index()} is its position in the list. */
  public static final class InvalidEntryException extends IllegalArgumentException {

    private final int index;

    InvalidEntryException(int index, String message) {
      super(message);
      this.index = index;
    }

    public int index() {
      return index;
    }
  }
}
