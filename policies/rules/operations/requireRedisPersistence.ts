import { imageRepository, redisConfig, redisValue, serversOf, type ServerContainer } from "../../lib/dataStores";
import { describe, isRecord, type K8sObject, record, records, str } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

/** The working directory of the official image, where Redis writes by default. */
const OFFICIAL_WORKDIR = "/data";

/** A path resolved against a directory, `.` and `..` applied: ("/data", "./aof") → "/data/aof". */
function resolvePath(base: string, path: string): string {
    const out: string[] = [];
    for (const p of [...(path.startsWith("/") ? [] : base.split("/")), ...path.split("/")]) {
        if (p === "..") out.pop();
        else if (p !== "" && p !== ".") out.push(p);
    }
    return `/${out.join("/")}`;
}

/** Where Redis writes its files: `dir`, relative to the working directory; undefined when the pack cannot tell. */
function dataDir(server: ServerContainer, dir: string | undefined): string | undefined {
    const c = server.container.container;
    const official = imageRepository(c.image).split("/").pop() === "redis";
    const workdir = str(c.workingDir) ?? (official ? OFFICIAL_WORKDIR : undefined);
    if (dir === undefined || dir === "") return workdir;
    if (dir.startsWith("/")) return resolvePath("/", dir);
    return workdir === undefined ? undefined : resolvePath(workdir, dir);
}

/** What keeps the files under `path`: a claim (template or PersistentVolumeClaim volume), or what else, in words. */
function storageAt(obj: K8sObject, server: ServerContainer, path: string): { persistent: boolean; what: string } {
    const mount = records(server.container.container.volumeMounts)
        .filter((m) => typeof m.mountPath === "string" && (path === m.mountPath || path.startsWith(`${String(m.mountPath).replace(/\/$/, "")}/`)))
        .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
    if (!mount) return { persistent: false, what: "the container's own filesystem" };
    const name = str(mount.name) ?? "?";
    // A StatefulSet's controller gives its pods the claim of a template, whatever volume of that name the template declares.
    const template = obj.kind === "StatefulSet" && records(record(obj.spec).volumeClaimTemplates).some((t) => record(t.metadata).name === name);
    if (template) return { persistent: true, what: `volumeClaimTemplate ${name}` };
    const volume = records(server.pod.spec?.volumes).find((v) => v.name === name);
    if (!volume) return { persistent: false, what: `volume ${name}, which the pod does not define` };
    if (isRecord(volume.persistentVolumeClaim)) return { persistent: true, what: `claim ${volume.persistentVolumeClaim.claimName}` };
    const type = Object.keys(volume).find((k) => k !== "name") ?? "unknown";
    return { persistent: false, what: `${type} volume ${name}` };
}

/**
 * Checklist 4.2.3: Redis keeps its data across restarts: an append-only file (and, unless required
 * otherwise, RDB snapshots count too) written to a directory on a persistent volume. The directory is
 * `dir` (the official image's working directory, /data, when unset), and the volume mounted there must
 * be a volumeClaimTemplate or a PersistentVolumeClaim, not an emptyDir. Settings in a config file the
 * pack cannot read are not judged.
 */
export const requireRedisPersistence = defineRule<{ requireAppendOnly: boolean }>({
    scope: "stack",
    name: "require-redis-persistence",
    description:
        "Every redis-server persists its data: appendonly yes (or, when requireAppendOnly is false, RDB snapshots), in a dir on a volumeClaimTemplate or PersistentVolumeClaim.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Run redis-server with --appendonly yes --dir /data and mount a volumeClaimTemplate at /data (a StatefulSet), never an emptyDir.",
    checklist: ["4.2.3"],
    settings: {
        requireAppendOnly: {
            type: "boolean",
            description: "Require the append-only file; false accepts RDB snapshots alone.",
            default: true,
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const obj of objects) {
            for (const server of serversOf(obj, "redis")) {
                if (!server.argv) continue;
                const say = (m: string) => out.push({ object: obj, message: `${describe(obj)}: ${server.container.label} ${m}` });
                const conf = redisConfig(server, objects);
                const unread = conf.file !== undefined && conf.file.content === undefined;
                const aof = (redisValue(conf, "appendonly") ?? "no").toLowerCase() === "yes";
                const rdb = (redisValue(conf, "save") ?? "default").trim() !== "";
                if (!aof && cfg.requireAppendOnly && !(unread && redisValue(conf, "appendonly") === undefined)) {
                    say(`keeps no append-only file (appendonly ${redisValue(conf, "appendonly") ?? "unset, so no"}); run it with --appendonly yes`);
                    continue;
                }
                if (!aof && !rdb) {
                    say('persists nothing: no append-only file and no RDB snapshots (save ""); run it with --appendonly yes');
                    continue;
                }
                const dir = dataDir(server, redisValue(conf, "dir"));
                if (dir === undefined) {
                    if (!unread)
                        say("writes its data to a directory the pack cannot tell (no dir and no workingDir); set --dir to a volume's mount path");
                    continue;
                }
                const storage = storageAt(obj, server, dir);
                if (!storage.persistent)
                    say(`writes its data to ${dir} on ${storage.what}, which is lost with the pod; mount a volumeClaimTemplate at ${dir}`);
            }
        }
        return out;
    },
});
