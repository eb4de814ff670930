#!/usr/bin/env bash
# `cerniqtool check web-config` against promtool 2.42's `check web-config` on good and broken web
# config files (exporter-toolkit v0.8.2's format): stdout, stderr and exit status must match byte
# for byte. Certificates come from the `openssl` command, bcrypt hashes from libxcrypt (python3's
# crypt module). Usage: web_config_vs_promtool.sh CERNIQTOOL
set -u
CERNIQTOOL=$(realpath "$1")
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
if [[ ! -x $PROMTOOL ]]; then echo "SKIP: $PROMTOOL not installed"; exit 77; fi
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1
mkdir certs
cert() {  # cert NAME: a self-signed EC certificate and its key in certs/
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
    -keyout "certs/$1.key" -out "certs/$1.crt" 2>/dev/null
}
cert server && cert other
openssl genrsa -out certs/rsa.key 2048 2>/dev/null
echo "not a pem" >certs/garbage.pem
HASH=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("pw", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
COST3=${HASH/\$2b\$04\$/\$2b\$03\$}

TLS="tls_server_config:
  cert_file: certs/server.crt
  key_file: certs/server.key"
case_file() { printf '%s\n' "$2" >"$1.yml"; CASES+=("$1.yml"); }
CASES=()
case_file good "$TLS
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: certs/other.crt
  min_version: TLS12
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: yes
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: $HASH
  bob: '$HASH'"
case_file empty ""
case_file braces "{}"
case_file auth_only "basic_auth_users:
  alice: $HASH"
case_file missing_cert "tls_server_config:
  cert_file: certs/nope.crt
  key_file: certs/server.key"
case_file missing_key_file "tls_server_config:
  cert_file: certs/server.crt"
case_file missing_cert_file "tls_server_config:
  key_file: certs/server.key"
case_file swapped "tls_server_config:
  cert_file: certs/server.key
  key_file: certs/server.crt"
case_file garbage_cert "tls_server_config:
  cert_file: certs/garbage.pem
  key_file: certs/server.key"
case_file cert_as_key "tls_server_config:
  cert_file: certs/server.crt
  key_file: certs/other.crt"
case_file mismatched "tls_server_config:
  cert_file: certs/server.crt
  key_file: certs/other.key"
case_file wrong_key_type "tls_server_config:
  cert_file: certs/server.crt
  key_file: certs/rsa.key"
case_file bad_client_auth "$TLS
  client_auth_type: VerifyAlways"
case_file ca_without_policy "$TLS
  client_ca_file: certs/other.crt"
case_file missing_ca "$TLS
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: certs/nope-ca.crt"
case_file unknown_top_key "tls_server_config: {}
web_listen: :9090"
case_file unknown_tls_key "$TLS
  cert_fil: x
  ciphers: [a]"
case_file bad_yaml "tls_server_config:
  cert_file: a: b"
case_file tab_yaml "tls_server_config:
	cert_file: a"
case_file bad_bcrypt "basic_auth_users:
  alice: plaintext"
case_file bcrypt_cost "basic_auth_users:
  alice: $COST3"
case_file min_above_max "$TLS
  min_version: TLS13
  max_version: TLS12"
case_file unknown_version "$TLS
  min_version: TLS14"
case_file unknown_cipher "$TLS
  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]"
case_file unknown_curve "$TLS
  curve_preferences: [P-256]"
case_file bad_header "http_server_config:
  headers:
    Server: cerniq"
case_file bad_header_value "http_server_config:
  headers:
    X-Content-Type-Options: sniff"
case_file bad_bool "http_server_config:
  http2: maybe
  headers: [a]"
case_file duplicate_user "basic_auth_users:
  alice: $HASH
  alice: $HASH"
case_file duplicate_field "$TLS
  cert_file: certs/server.crt"
case_file scalar "just a string"
case_file users_list "basic_auth_users: [alice]
tls_server_config:
  prefer_server_cipher_suites: 3"
case_file null_sections "tls_server_config:
http_server_config:
basic_auth_users:"

FAILS=0
compare() {  # compare ARGS...: both tools on the same command line, in $DIR
  "$PROMTOOL" check web-config "$@" >"$DIR/p.out" 2>"$DIR/p.err"
  local p_rc=$?
  "$CERNIQTOOL" check web-config "$@" >"$DIR/c.out" 2>"$DIR/c.err"
  local c_rc=$?
  if [[ $p_rc != "$c_rc" ]] || ! cmp -s "$DIR/p.out" "$DIR/c.out" ||
     ! cmp -s "$DIR/p.err" "$DIR/c.err"; then
    echo "DIFF: check web-config $* (exit promtool $p_rc, cerniqtool $c_rc)"
    diff <(cat "$DIR/p.out"; echo ---; cat "$DIR/p.err") \
         <(cat "$DIR/c.out"; echo ---; cat "$DIR/c.err") | sed 's/^/    /'
    FAILS=$((FAILS + 1))
  fi
}
for c in "${CASES[@]}"; do compare "$c"; done
compare "./good.yml"                       # relative paths joined with "." as Go does
compare "$DIR/missing_cert.yml"            # absolute config path in the error
compare good.yml bad_bcrypt.yml empty.yml  # several files: exit 1 when any fails
compare good.yml nope.yml                  # kingpin's ExistingFiles error
compare certs                              # a directory
compare                                    # no file
compare --strict good.yml                  # unknown flag
mkdir -p sub && cp good.yml sub/ && compare sub/good.yml  # certs/ relative to sub/: missing

TOTAL=$((${#CASES[@]} + 8))
echo "check web-config: $((TOTAL - FAILS)) of $TOTAL command lines identical to promtool"
[[ $FAILS == 0 ]]
