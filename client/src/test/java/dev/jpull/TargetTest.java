package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Target}: typed kind and reference, and the fixed {@code manifest <ref>} / {@code blob <digest>} label. */
class TargetTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void aManifestByTagHasItsKindReferenceAndLabelButNoDigest() {
        Target t = Target.manifest("1.0");
        assertThat(t.kind()).isEqualTo(Target.Kind.MANIFEST);
        assertThat(t.reference()).isEqualTo("1.0");
        assertThat(t.digest()).isNull();
        assertThat(t.label()).isEqualTo("manifest 1.0").isEqualTo(t.toString());
    }

    @Test
    void aManifestByDigestAndABlobHaveTheirDigest() {
        assertThat(Target.manifest(DIGEST).digest()).isEqualTo(DIGEST);
        assertThat(Target.manifest(DIGEST).label()).isEqualTo("manifest " + DIGEST);
        Target blob = Target.blob(DIGEST);
        assertThat(blob.kind()).isEqualTo(Target.Kind.BLOB);
        assertThat(blob.digest()).isEqualTo(DIGEST);
        assertThat(blob.label()).isEqualTo("blob " + DIGEST);
        assertThat(blob).isEqualTo(new Target(Target.Kind.BLOB, DIGEST)).isNotEqualTo(Target.manifest(DIGEST));
    }

    @Test
    void controlCharactersOfTheReferenceAreEscapedAndNullsRefused() {
        assertThat(Target.manifest("x\u001b[2Jy").label()).isEqualTo("manifest x\\x1b[2Jy");
        assertThatThrownBy(() -> Target.blob(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Target(null, DIGEST)).isInstanceOf(NullPointerException.class);
    }
}
