import { POSTGRES_SOCKET_DIR, REDIS_SOCKET, type SyncPass } from "./passwordSync";

/**
 * Checklist 1.4.3, 6.2.3: the data servers take a renewed certificate by themselves. cert-manager renews
 * the server certificate 15 days before it expires; the kubelet swaps the files of the `tls` volume; the
 * sync sidecar beside each server (passwordSync.ts) also watches those files and, when they change, has
 * the running server load them again, so a server that runs for months never serves an expired
 * certificate. Clients see the new certificate on their next connection; open connections keep theirs.
 */

/** Where the server's certificate, key and CA certificate are mounted, read-only, in the server and its sidecar. */
export const TLS_DIR = "/tls";
export const TLS_CERT = `${TLS_DIR}/tls.crt`;
export const TLS_KEY = `${TLS_DIR}/tls.key`;
export const TLS_CA = `${TLS_DIR}/ca.crt`;

/** The volume mount of the certificate's Secret volume, for the server and its sidecar. */
export const TLS_MOUNT = { name: "tls", mountPath: TLS_DIR, readOnly: true } as const;

/**
 * What both reloads share: a checksum of the three files (a change of any of them, or a file becoming
 * readable or unreadable, changes it) and a `tell` that says a failure once, not every pass. A success is
 * said once per change, as the checksum is then remembered.
 */
const WATCH = `tls_applied=""
tls_told=""
tell() { [ "$1" = "$tls_told" ] || { printf '%s\\n' "$1"; tls_told=$1; }; }
tls_sum() { cat ${TLS_CERT} ${TLS_KEY} ${TLS_CA} 2>/dev/null | sha256sum | cut -d' ' -f1; }`;

/**
 * PostgreSQL (≥ 10) loads ssl_cert_file and ssl_key_file again on SIGHUP; a reload that fails (a key that
 * does not match the certificate, a file it cannot read) is only logged, and the server keeps its previous
 * certificate. So the sidecar compares the certificate PostgreSQL serves on its TCP port (a TLS handshake,
 * which PostgreSQL does not log) with the one in /tls, asks for `pg_reload_conf()` over the local socket
 * when they differ, and looks again. The key file keeps the rule PostgreSQL checks at start and at each
 * reload: root-owned with group read at most, as the volume's mode 0640 makes it. `openssl` comes with the
 * postgres image (postgresql-common depends on ssl-cert, which depends on openssl). The pass needs the
 * loop's `user` and `known` (the password last seen to work).
 */
export function postgresCertReload(port: number): SyncPass {
    const listener = `127.0.0.1:${port}`;
    return {
        define: `${WATCH}
tls_cert() { openssl x509 -noout -serial -enddate -fingerprint -sha256 2>/dev/null | tr '\\n' ' '; }
tls_served() { timeout 5 openssl s_client -starttls postgres -connect ${listener} </dev/null 2>/dev/null | tls_cert; }
tls_show() { printf '%s' "$1" | sed -e 's/ sha256 Fingerprint=.*//' -e 's/ notAfter=/, valid until /'; }
tls_why() {
  if [ ! -r ${TLS_KEY} ]; then echo "it cannot read ${TLS_KEY}"
  elif [ "$(openssl x509 -in ${TLS_CERT} -noout -pubkey 2>/dev/null)" != "$(openssl pkey -in ${TLS_KEY} -pubout 2>/dev/null)" ]; then echo "${TLS_KEY} does not match ${TLS_CERT}"
  else echo "see the server's log"
  fi
}
tls_pass() {
  tls_now=$(tls_sum)
  [ "$tls_now" != "$tls_applied" ] || return 0
  tls_want=$(tls_cert <${TLS_CERT})
  [ -n "$tls_want" ] || { tell "no certificate to read in ${TLS_CERT}; PostgreSQL keeps the one it serves" >&2; return 0; }
  tls_have=$(tls_served)
  [ -n "$tls_have" ] || { tell "cannot see the certificate PostgreSQL serves on ${listener} (the server may still be starting)" >&2; return 0; }
  tls_reloaded=""
  if [ "$tls_have" != "$tls_want" ]; then
    [ -n "$known" ] || { tell "PostgreSQL serves $(tls_show "$tls_have"), not the certificate in ${TLS_DIR}, and no password has worked yet to reload it" >&2; return 0; }
    tls_out=$(PGPASSWORD="$known" PGCONNECT_TIMEOUT=3 psql -w -X -q -h ${POSTGRES_SOCKET_DIR} -U "$user" -d "$POSTGRES_DB" -tAc 'SELECT pg_reload_conf()' 2>&1)
    [ "$tls_out" = t ] || { tell "could not ask PostgreSQL to reload its configuration: $tls_out" >&2; return 0; }
    tls_reloaded=1
    for _ in 1 2 3 4 5; do
      sleep 1
      tls_have=$(tls_served)
      [ "$tls_have" != "$tls_want" ] || break
    done
  fi
  if [ "$tls_have" != "$tls_want" ]; then
    tell "PostgreSQL did not take the certificate in ${TLS_DIR} ($(tls_show "$tls_want")): $(tls_why); it keeps serving $(tls_show "$tls_have") and the next pass tries again" >&2
  elif [ -n "$tls_reloaded" ]; then
    echo "PostgreSQL took the certificate in ${TLS_DIR} without a restart: $(tls_show "$tls_want")"
  else
    echo "PostgreSQL serves the certificate in ${TLS_DIR}: $(tls_show "$tls_want")"
  fi
  [ "$tls_have" != "$tls_want" ] || { tls_applied=$tls_now; tls_told=""; }
}`,
        run: "  tls_pass",
    };
}

/**
 * Redis (≥ 6) builds a new TLS context when `CONFIG SET` names its certificate files, even with the
 * paths it already has, and keeps the previous context when the files do not load (the command then
 * fails). The sidecar sets the three paths over the unix socket, authenticated with the password or the
 * previous one as its password pass knows them (`current`, `previous`), whenever the files change, and
 * again each pass until Redis takes them.
 */
export const REDIS_CERT_RELOAD: SyncPass = {
    define: `${WATCH}
tls_pass() {
  tls_now=$(tls_sum)
  [ "$tls_now" != "$tls_applied" ] || return 0
  tls_out=""
  for tls_pw in "$current" "$previous"; do
    [ -n "$tls_pw" ] || continue
    tls_out=$(REDISCLI_AUTH="$tls_pw" redis-cli -s ${REDIS_SOCKET} --no-auth-warning CONFIG SET tls-cert-file ${TLS_CERT} tls-key-file ${TLS_KEY} tls-ca-cert-file ${TLS_CA} 2>&1)
    case "$tls_out" in *WRONGPASS*|*NOAUTH*) ;; *) break ;; esac
  done
  case "$tls_out" in
    OK)
      if [ -n "$tls_applied" ]; then echo "Redis took the certificate in ${TLS_DIR} without a restart"; else echo "Redis serves the certificate in ${TLS_DIR}"; fi
      tls_applied=$tls_now
      tls_told="" ;;
    ERR*) tell "Redis refused the certificate in ${TLS_DIR} ($tls_out); it keeps serving the one it has and the next pass tries again" >&2 ;;
    *) tell "cannot ask Redis to load the certificate in ${TLS_DIR} ($tls_out); the next pass tries again" >&2 ;;
  esac
}`,
    run: "  tls_pass",
};
