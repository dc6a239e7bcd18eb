package dev.jpull.internal.http;

import dev.jpull.ConfigException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files: X.509 certificates, and unencrypted private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}) form. Traditional keys
 * are wrapped into PKCS#8 with {@link Der} so the JDK's key factories can read them; no BouncyCastle.
 * Every failure is a {@link ConfigException} naming the file; key material never appears in messages.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    /** One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and decoded bytes. */
    record Block(String label, byte[] der) {
    }

    /** All certificates of {@code file}, in file order (leaf first for a chain); at least one. */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label().equals("CERTIFICATE") || b.label().equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new ConfigException("malformed certificate in " + file + ": " + oneLine(e), e);
        }
        if (certs.isEmpty()) {
            throw new ConfigException("not a PEM certificate: no PEM certificate found in " + file);
        }
        return List.copyOf(certs);
    }

    /** The first private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrapPkcs1(b.der()));
                case "EC PRIVATE KEY":
                    return pkcs8(file, wrapSec1(file, b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigException("encrypted private key in " + file + " is not supported");
                default:
                    // EC PARAMETERS, CERTIFICATE... : skip
            }
        }
        throw new ConfigException("not a PEM private key: no PEM private key found in " + file);
    }

    static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + readProblem(file, e), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                throw new ConfigException("PEM block " + m.group(1) + " in " + file
                        + " has headers (encrypted?), which are not supported");
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("malformed base64 in PEM block " + m.group(1) + " of " + file);
            }
        }
        if (blocks.isEmpty()) {
            throw new ConfigException("not PEM: no PEM data in " + file);
        }
        return blocks;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("malformed or unsupported private key in " + file);
    }

    /** PKCS#1 RSAPrivateKey -> PKCS#8 PrivateKeyInfo { 0, { rsaEncryption, NULL }, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.OID_RSA, Der.NULL_VALUE);
        return Der.tlv(Der.SEQUENCE, Der.INTEGER_ZERO, algorithm, Der.tlv(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey { 1, OCTET STRING key, [0] curve OID, [1] public key } -> PKCS#8 with algorithm
     * { id-ecPublicKey, curve OID }. The curve must be a named curve present in the SEC1 structure.
     */
    static byte[] wrapSec1(Path file, byte[] sec1) {
        byte[] curve = null;
        try {
            Der.Tlv outer = Der.read(sec1, 0, sec1.length);
            if (outer.tag() != Der.SEQUENCE) {
                throw new IllegalArgumentException("not a sequence");
            }
            int pos = outer.contentStart();
            while (pos < outer.contentEnd()) {
                Der.Tlv field = Der.read(sec1, pos, outer.contentEnd());
                if (field.tag() == Der.CONTEXT_0) {
                    Der.Tlv oid = Der.read(sec1, field.contentStart(), field.contentEnd());
                    if (oid.tag() == Der.OID) {
                        curve = oid.encoded();
                    }
                }
                pos = field.contentEnd();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("malformed EC private key in " + file);
        }
        if (curve == null) {
            throw new ConfigException("EC private key in " + file + " does not name its curve");
        }
        byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.OID_EC, curve);
        return Der.tlv(Der.SEQUENCE, Der.INTEGER_ZERO, algorithm, Der.tlv(Der.OCTET_STRING, sec1));
    }

    /** Why {@code file} could not be read, in words: no such file, permission denied, is a directory... */
    static String readProblem(Path file, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        return oneLine(e);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
