import type * as k8s from "@pulumi/kubernetes";
import { withEphemeralStorage } from "../ephemeralStorage";
import { restrictedContainerSecurityContext } from "../security";
import { AUTH_MOUNT, execProbe } from "./dataStore";

type Container = k8s.types.input.core.v1.Container;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/**
 * Checklist 6.1.3: the data servers take a rotated password by themselves. External Secrets rewrites
 * `redis-auth` and `postgres-auth`; the kubelet refreshes the files of their Secret volumes (within its
 * sync period, about a minute); a sidecar beside each server sees the file change and sets the password
 * in the server over a socket only the pod can reach, so TLS on the network listener is untouched. In
 * prod the same loop also has the server load a renewed certificate (certReload.ts).
 */

/** Seconds between two looks at the password file. */
export const SYNC_INTERVAL_SECONDS = 5;

/** The file each pass of a sync loop rewrites, for its liveness probe; /tmp is the pod's scratch emptyDir. */
export const HEARTBEAT = "/tmp/password-sync.alive";

/** Alive: the loop passed within the last minute (a pass takes the interval plus at most a few seconds). */
const ALIVE = `[ -n "$(find ${HEARTBEAT} -mmin -1 2>/dev/null)" ]`;

/** Redis' unix socket, in an emptyDir the server and its sidecar share; mode 700 admits only their UID. */
export const REDIS_SOCKET_DIR = "/run/redis";
export const REDIS_SOCKET = `${REDIS_SOCKET_DIR}/redis.sock`;

/** PostgreSQL's socket directory, an emptyDir the server and its sidecar share. */
export const POSTGRES_SOCKET_DIR = "/var/run/postgresql";

/** Shell added to a sync loop (certReload.ts): `define` goes before the loop, `run` at the end of each pass. */
export interface SyncPass {
    readonly define: string;
    readonly run: string;
}

/**
 * Redis keeps two passwords valid for its `default` user: the current one and the one before it, so a
 * client that still holds the previous password (a pod not yet restarted, KEDA's cached connection)
 * keeps connecting until the next rotation. The passwords go to Redis as SHA-256 hashes (`#<hex>`), so
 * no password appears in a command line, in the ACL log or in the script's output. Every pass sets the
 * pair again: a Redis restarted from its Secret (current password only) gets the previous one back.
 */
export const REDIS_PASSWORD_SYNC = redisPasswordSync();

/** The Redis sync loop, with `also` run in each pass after the passwords are set. */
export function redisPasswordSync(also?: SyncPass): string {
    return `set -u
file=${AUTH_MOUNT}/password
hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
say() { [ "$1" = "$said" ] || { printf '%s\\n' "$1"; said=$1; }; }
said=""
current=$(cat "$file") || { echo "cannot read $file" >&2; exit 1; }
previous=""
${also ? `${also.define}\n` : ""}while :; do
  : >${HEARTBEAT}
  if next=$(cat "$file" 2>/dev/null) && [ -n "$next" ] && [ "$next" != "$current" ]; then
    previous=$current
    current=$next
  fi
  set -- "#$(hash "$current")"
  [ -z "$previous" ] || set -- "$@" "#$(hash "$previous")"
  out=""
  for pw in "$current" "$previous"; do
    [ -n "$pw" ] || continue
    out=$(REDISCLI_AUTH="$pw" redis-cli -s ${REDIS_SOCKET} --no-auth-warning ACL SETUSER default on resetpass "$@" 2>&1)
    [ "$out" = OK ] && break
  done
  if [ "$out" = OK ]; then
    if [ -n "$previous" ]; then say "Redis accepts the current password and the previous one"; else say "Redis accepts the current password"; fi
  else
    say "could not set Redis' passwords (the server may still be starting): $out" >&2
  fi
${also ? `${also.run}\n` : ""}  sleep "\${INTERVAL:-${SYNC_INTERVAL_SECONDS}}"
done
`;
}

/**
 * The statement that sets a role's password: the user as a quoted identifier, the password as a string
 * literal (standard_conforming_strings). The session first stops the server from logging the statement,
 * even on an error, so the password never reaches the server's log.
 */
const ALTER_ROLE_SQL = `sql_alter() {
  printf 'SET log_min_error_statement TO panic; SET log_statement TO none; ALTER ROLE "%s" PASSWORD '"'"'%s'"'"';\\n' "$(printf '%s' "$1" | sed 's/"/""/g')" "$(printf '%s' "$2" | sed "s/'/''/g")"
}`;

/**
 * Before PostgreSQL starts, its role takes the password the Secret holds now, in single-user mode (no
 * login needed): a server that was down during a rotation, or whose sidecar missed it, starts with the
 * current password. On an empty data directory the image's entrypoint runs initdb with it instead.
 */
export const POSTGRES_PASSWORD_AT_START = `set -eu
[ -s "$PGDATA/PG_VERSION" ] || { echo "no database yet: initdb takes the current password"; exit 0; }
${ALTER_ROLE_SQL}
user=$(cat ${AUTH_MOUNT}/POSTGRES_USER)
out=$(sql_alter "$user" "$(cat ${AUTH_MOUNT}/POSTGRES_PASSWORD)" | postgres --single -D "$PGDATA" -j postgres 2>&1) || { printf '%s\\n' "$out" >&2; exit 1; }
case "$out" in *ERROR:*|*FATAL:*) printf 'could not set the password of role %s: %s\\n' "$user" "$out" >&2; exit 1 ;; esac
echo "role $user takes the current password"
`;

/**
 * While PostgreSQL runs, the sidecar logs in over the local socket with the password in the file; when
 * that fails after a rotation, it logs in with the password it last saw work and sets the new one.
 * PostgreSQL keeps one password per role: from then on, clients that still hold the old password open no
 * new connection until they restart with the new one (their open connections stay).
 */
export const POSTGRES_PASSWORD_SYNC = postgresPasswordSync();

/** The PostgreSQL sync loop, with `also` run in each pass after the password is checked. */
export function postgresPasswordSync(also?: SyncPass): string {
    return `set -u
${ALTER_ROLE_SQL}
say() { [ "$1" = "$said" ] || { printf '%s\\n' "$1"; said=$1; }; }
said=""
known=""
${also ? `${also.define}\n` : ""}login() { err=$(PGPASSWORD="$1" PGCONNECT_TIMEOUT=3 psql -w -X -q -h ${POSTGRES_SOCKET_DIR} -U "$user" -d "$POSTGRES_DB" -tAc 'SELECT 1' 2>&1 >/dev/null); }
while :; do
  : >${HEARTBEAT}
  user=$(cat ${AUTH_MOUNT}/POSTGRES_USER)
  want=$(cat ${AUTH_MOUNT}/POSTGRES_PASSWORD)
  if login "$want"; then
    known=$want
    say "role $user takes the current password"
  elif [ -n "$known" ] && out=$(sql_alter "$user" "$want" | PGPASSWORD="$known" PGCONNECT_TIMEOUT=3 psql -w -X -q -v ON_ERROR_STOP=1 -h ${POSTGRES_SOCKET_DIR} -U "$user" -d "$POSTGRES_DB" -f - 2>&1); then
    known=$want
    say "role $user took the new password"
  else
    say "cannot log in as $user with the current password (\${err}), nor set it: \${out:-no password seen to work yet}" >&2
  fi
  out=""
${also ? `${also.run}\n` : ""}  sleep "\${INTERVAL:-${SYNC_INTERVAL_SECONDS}}"
done
`;
}

/** What a sync container asks for: a shell loop that wakes every few seconds. */
const SYNC_RESOURCES = { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "40m", memory: "32Mi" } };

/** A container of a data pod that runs `script` with the server's image, user and restrictions. */
export function syncContainer(
    name: string,
    image: string,
    imagePullPolicy: string,
    script: string,
    mounts: readonly VolumeMount[],
    env: Container["env"] = [],
    readinessScript?: string,
): Container {
    // A loop (with a readiness script) writes its heartbeat to the pod's /tmp; a one-shot init container needs none.
    return {
        name,
        image,
        imagePullPolicy,
        command: ["/bin/sh", "-c", script],
        env,
        resources: withEphemeralStorage({ requests: { ...SYNC_RESOURCES.requests }, limits: { ...SYNC_RESOURCES.limits } }, []),
        ...(readinessScript
            ? { startupProbe: execProbe(ALIVE, 2, 30), livenessProbe: execProbe(ALIVE, 20, 3), readinessProbe: execProbe(readinessScript, 5, 3) }
            : {}),
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [{ name: "auth", mountPath: AUTH_MOUNT, readOnly: true }, ...mounts],
    };
}
