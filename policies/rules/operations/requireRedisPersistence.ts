import { imageRepository, redisConfig, redisValue, serversOf, type ServerContainer } from "../../lib/dataStores";
import { describe, isRecord, type K8sObject, record, records, str } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

/** The working directory of the official image, where Redis writes by default. */
const OFFICIAL_WORKDIR = "/data";

/** An absolute path with `.`, `..` and repeated or trailing slashes applied, as the kernel reads it: "/data/./aof/" → "/data/aof". */
function normalPath(path: string): string {
    const out: string[] = [];
    for (const p of path.split("/")) {
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
    if (dir?.startsWith("/")) return normalPath(dir);
    return workdir === undefined ? undefined : normalPath(`${workdir}/${dir ?? ""}`);
}

/**
 * What holds the files under `path` when it is lost with the pod, in words; undefined when a claim (a
 * volumeClaimTemplate or a PersistentVolumeClaim volume) keeps them.
 */
function podLocalStorageAt(obj: K8sObject, server: ServerContainer, path: string): string | undefined {
    const mount = records(server.container.container.volumeMounts)
        .filter((m) => typeof m.mountPath === "string")
        .map((m) => ({ name: m.name, at: normalPath(String(m.mountPath)) }))
        .filter((m) => `${path}/`.startsWith(`${m.at.replace(/\/$/, "")}/`))
        .sort((a, b) => b.at.length - a.at.length)[0];
    if (!mount) return "the container's own filesystem";
    const name = str(mount.name) ?? "?";
    // A StatefulSet's controller gives its pods the claim of a template, whatever volume of that name the template declares.
    const template = obj.kind === "StatefulSet" && records(record(obj.spec).volumeClaimTemplates).some((t) => record(t.metadata).name === name);
    if (template) return undefined;
    const volume = records(server.pod.spec.volumes).find((v) => v.name === name);
    if (!volume) return `volume ${name}, which the pod does not define`;
    if (isRecord(volume.persistentVolumeClaim)) return undefined;
    // A volume that names no source is an emptyDir: the API server fills that default in.
    const type = Object.keys(volume).find((k) => k !== "name") ?? "emptyDir";
    return `${type} volume ${name}`;
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
                const aof = redisValue(conf, "appendonly")?.toLowerCase() === "yes";
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
                        say(
                            "writes its data to a directory the pack cannot tell (no workingDir, and no dir or a relative one); set --dir to a volume's mount path",
                        );
                    continue;
                }
                const lost = podLocalStorageAt(obj, server, dir);
                if (lost !== undefined)
                    say(`writes its data to ${dir} on ${lost}, which is lost with the pod; mount a volumeClaimTemplate at ${dir}`);
            }
        }
        return out;
    },
});
