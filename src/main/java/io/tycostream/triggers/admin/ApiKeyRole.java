package io.tycostream.triggers.admin;

import java.util.Locale;

/** What an admin API key may do; each role includes the ones before it. */
public enum ApiKeyRole {
  /** Read triggers, events, cluster state. */
  READ,
  /** Also create, change and delete triggers. */
  WRITE,
  /** Also manage API keys. */
  ADMIN;

  /** The lower-case name used in JSON and the store. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a key of this role may do what {@code required} allows. */
  public boolean includes(ApiKeyRole required) {
    return ordinal() >= required.ordinal();
  }

  /** The role named {@code name} ({@code read}, {@code write}, {@code admin}), or {@code null} for anything else. */
  public static ApiKeyRole fromWireName(String name) {
    for (ApiKeyRole role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    return null;
  }
}
