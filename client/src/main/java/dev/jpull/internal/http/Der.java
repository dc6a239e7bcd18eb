package dev.jpull.internal.http;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The few DER operations needed to wrap traditional private keys (PKCS#1, SEC1) into PKCS#8: encode a
 * tag-length-value, and read one TLV back. Not a general ASN.1 library.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific, constructed, tag 0: {@code [0]} in SEC1's ECPrivateKey (the curve parameters). */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1, as a complete OID TLV. */
    static final byte[] OID_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a complete OID TLV. */
    static final byte[] OID_EC = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    static final byte[] NULL_VALUE = {0x05, 0x00};
    static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

    private Der() {
    }

    /** One decoded element: its tag, and where its content sits in the source array. */
    record Tlv(int tag, byte[] source, int start, int contentStart, int contentEnd) {
        byte[] content() {
            return Arrays.copyOfRange(source, contentStart, contentEnd);
        }

        /** The whole element (tag, length and content) as encoded. */
        byte[] encoded() {
            return Arrays.copyOfRange(source, start, contentEnd);
        }
    }

    /** Encodes tag + length + the concatenated parts. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
            return;
        }
        int bytes = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(len >>> (8 * i));
        }
    }

    /**
     * Reads the element starting at {@code pos}, which must end no later than {@code limit}.
     *
     * @throws IllegalArgumentException on truncated or unsupported (indefinite, multi-byte tag) encodings
     */
    static Tlv read(byte[] src, int pos, int limit) {
        if (pos + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = src[pos] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("unsupported DER tag");
        }
        int first = src[pos + 1] & 0xFF;
        int p = pos + 2;
        int len;
        if (first < 0x80) {
            len = first;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 4 || p + n > limit) {
                throw new IllegalArgumentException("bad DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (src[p++] & 0xFF);
            }
            if (len < 0) {
                throw new IllegalArgumentException("bad DER length");
            }
        }
        if (len > limit - p) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Tlv(tag, src, pos, p, p + len);
    }
}
