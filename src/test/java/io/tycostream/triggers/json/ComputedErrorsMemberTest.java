package io.tycostream.triggers.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that computed-field errors are taken out of stored data text without touching the data's digits. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComputedErrorsMemberTest {

  /** Verifies the split of a last errors member, keeping a 30-digit number exactly as written. */
  @Test
  void splitsTheLastErrorsMember() {
    ComputedErrorsMember.Split split = ComputedErrorsMember.split(
        "{\"id\":1,\"price\":123456789012345678901234567890.50,\"exposure\":null,"
            + "\"$errors\":[{\"field\":\"exposure\",\"message\":\"/ by zero\"}]}");
    assertThat(split.data()).isEqualTo("{\"id\":1,\"price\":123456789012345678901234567890.50,\"exposure\":null}");
    assertThat(split.errors()).isEqualTo("[{\"field\":\"exposure\",\"message\":\"/ by zero\"}]");
  }

  /** Verifies that data without errors, or with a column of that name before others, is left as is. */
  @Test
  void leavesOtherDataAsIs() {
    String plain = "{\"id\":1,\"score\":1.50}";
    assertThat(ComputedErrorsMember.split(plain)).isEqualTo(new ComputedErrorsMember.Split(plain, null));
    String column = "{\"$errors\":[1],\"id\":1}";
    assertThat(ComputedErrorsMember.split(column)).isEqualTo(new ComputedErrorsMember.Split(column, null));
    assertThat(ComputedErrorsMember.split("{\"$errors\":[]}")).isEqualTo(new ComputedErrorsMember.Split("{}", "[]"));
  }
}
