package io.tycostream.triggers.testkit;

import io.tycostream.triggers.secret.MasterKey;
import io.tycostream.triggers.secret.SecretCipher;
import java.util.List;

/** Fixed master keys for tests, so stores reopened by a test (or by another node) read each other's secrets. */
public final class TestMasterKeys {

  /** The key most tests use. */
  public static final MasterKey FIRST = key((byte) 1);
  /** A second key, for rotation and mismatch tests. */
  public static final MasterKey SECOND = key((byte) 2);

  private TestMasterKeys() {
  }

  /** A cipher sealing under {@link #FIRST}. */
  public static SecretCipher cipher() {
    return SecretCipher.create(FIRST, List.of());
  }

  /** A key of 32 bytes counting up from {@code seed}. */
  public static MasterKey key(byte seed) {
    byte[] bytes = new byte[MasterKey.KEY_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed + i);
    }
    return MasterKey.of(bytes);
  }
}
