#!/usr/bin/env bash
# Generates the test PKI used by the jpull registry fixtures.
#
# Usage: gen-certs.sh OUTDIR
#
# Idempotent: when OUTDIR already holds a complete set (marker file .complete), nothing is
# regenerated. A partial set is wiped and regenerated.
#
# Files written (all PEM):
#   ca.pem / ca-key.pem                     test CA
#   server.pem / server-key.pem             server cert signed by the CA, SAN IP:127.0.0.1, DNS:localhost
#   client.pem / client-key.pem             RSA client cert, key in PKCS#8 ("BEGIN PRIVATE KEY")
#   client-rsa1.pem / client-rsa1-key.pem   RSA client cert, key in PKCS#1 ("BEGIN RSA PRIVATE KEY")
#   client-ec.pem / client-ec-key.pem       EC P-256 client cert, key in SEC1 ("BEGIN EC PRIVATE KEY")
#   wrong-ca.pem / wrong-ca-key.pem         unrelated CA (negative tests)
#   wrong-server.pem / wrong-server-key.pem server cert signed by the wrong CA, same SANs
#   token.pem / token-key.pem               self-signed RSA cert + PKCS#8 key for token signing
#   skopeo-tls/ca.crt                       skopeo --cert-dir trusting the CA
#   skopeo-mtls/{ca.crt,client.cert,client.key}  skopeo --cert-dir with client cert
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out="$1"
mkdir -p "$out"
cd "$out"

if [ -f .complete ]; then
  exit 0
fi
rm -rf -- *.pem *.srl *.csr *.ext skopeo-tls skopeo-mtls

days=3650

new_ca() { # name cn
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
    -keyout "$1-key.pem" -out "$1.pem" -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

sign() { # name ca usage-ext csr-input-key
  local name="$1" ca="$2" ext="$3"
  openssl req -new -key "$name-key.pem" -out "$name.csr" -subj "/CN=jpull-test-$name" 2>/dev/null
  printf '%s\n' "basicConstraints=CA:FALSE" "$ext" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca-key.pem" -CAcreateserial \
    -days "$days" -sha256 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

server_ext=$'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost'
client_ext=$'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'

new_ca ca "jpull test CA"
new_ca wrong-ca "jpull wrong CA"

# Server certificates.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server-key.pem 2>/dev/null
sign server ca "$server_ext"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out wrong-server-key.pem 2>/dev/null
sign wrong-server wrong-ca "$server_ext"

# Client certificates: PKCS#8 RSA, PKCS#1 RSA, SEC1 EC.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-key.pem 2>/dev/null
sign client ca "$client_ext"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-rsa1-pkcs8.pem 2>/dev/null
if openssl rsa -help 2>&1 | grep -q -- '-traditional'; then
  openssl rsa -in client-rsa1-pkcs8.pem -traditional -out client-rsa1-key.pem 2>/dev/null
else
  openssl rsa -in client-rsa1-pkcs8.pem -out client-rsa1-key.pem 2>/dev/null
fi
rm -f client-rsa1-pkcs8.pem
sign client-rsa1 ca "$client_ext"

openssl ecparam -name prime256v1 -genkey -noout -out client-ec-key.pem 2>/dev/null
sign client-ec ca "$client_ext"

# Token signing: self-signed RSA leaf, used as the registry's rootcertbundle.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout token-key.pem -out token.pem -subj "/CN=jpull test token issuer" \
  -addext "keyUsage=critical,digitalSignature" 2>/dev/null

# skopeo --cert-dir layouts (*.crt = CA, *.cert + *.key = client pair).
mkdir -p skopeo-tls skopeo-mtls
cp ca.pem skopeo-tls/ca.crt
cp ca.pem skopeo-mtls/ca.crt
cp client.pem skopeo-mtls/client.cert
cp client-key.pem skopeo-mtls/client.key

rm -f ./*.srl
grep -q 'BEGIN RSA PRIVATE KEY' client-rsa1-key.pem
grep -q 'BEGIN EC PRIVATE KEY' client-ec-key.pem
grep -q 'BEGIN PRIVATE KEY' client-key.pem
touch .complete
