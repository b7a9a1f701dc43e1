import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireRedisPersistence } from "../../../../policies/rules/operations/requireRedisPersistence";
import { asPodKind, containerOf, POD_KINDS, redisStatefulSet, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const REDIS = 'StatefulSet voting-data/redis: container "redis"';
const setArg = (name: string, value: string | undefined, base: K8sObject = redisStatefulSet()) =>
    withChange(base, (x) => {
        const a: string[] = containerOf(x).args;
        const at = a.indexOf(name);
        if (value === undefined) a.splice(at, 2);
        else if (at < 0) a.push(name, value);
        else a[at + 1] = value;
    });
const check = (objects: K8sObject | K8sObject[], cfg: Record<string, unknown> = {}) => violations(requireRedisPersistence, objects, cfg);
/** Redis started with the config file of ConfigMap redis-config, followed by `args`. */
const fromFile = (args: string[] = [], base: K8sObject = redisStatefulSet()) =>
    withChange(base, (x) => {
        containerOf(x).args = ["/etc/redis/redis.conf", ...args];
        containerOf(x).volumeMounts.push({ name: "config", mountPath: "/etc/redis/redis.conf", subPath: "redis.conf" });
        specOf(x).volumes.push({ name: "config", configMap: { name: "redis-config" } });
    });
const configMap = (conf: string): K8sObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "redis-config", namespace: "voting-data" },
    data: { "redis.conf": conf },
});
const withConf = (conf: string): K8sObject[] => [fromFile(), configMap(conf)];
const UNTOLD = `${REDIS} writes its data to a directory the pack cannot tell (no workingDir, and no dir or a relative one); set --dir to a volume's mount path`;
const LOST = (dir: string, what: string) =>
    `${REDIS} writes its data to ${dir} on ${what}, which is lost with the pod; mount a volumeClaimTemplate at ${dir}`;

describe(requireRedisPersistence.name, () => {
    it("accepts the append-only file in /data on a volumeClaimTemplate", () => {
        assert.deepStrictEqual(check(redisStatefulSet()), []);
    });

    it("refuses Redis without an append-only file, and one with appendonly unset", () => {
        assert.deepStrictEqual(check(setArg("--appendonly", "no")), [
            `${REDIS} keeps no append-only file (appendonly no); run it with --appendonly yes`,
        ]);
        assert.deepStrictEqual(check(setArg("--appendonly", undefined)), [
            `${REDIS} keeps no append-only file (appendonly unset, so no); run it with --appendonly yes`,
        ]);
    });

    it('accepts RDB snapshots alone when the settings allow it, but not save ""', () => {
        const rdb = setArg("--appendonly", "no");
        assert.deepStrictEqual(check(rdb, { requireAppendOnly: false }), []);
        assert.deepStrictEqual(check(setArg("--save", "", rdb), { requireAppendOnly: false }), [
            `${REDIS} persists nothing: no append-only file and no RDB snapshots (save ""); run it with --appendonly yes`,
        ]);
        // redis-server 7 takes a save of spaces only as no schedule at all (CONFIG GET save answers "").
        assert.deepStrictEqual(check(setArg("--save", "  ", rdb), { requireAppendOnly: false }), [
            `${REDIS} persists nothing: no append-only file and no RDB snapshots (save ""); run it with --appendonly yes`,
        ]);
    });

    it("refuses a data directory on an emptyDir, on the container's filesystem, or on an undefined volume", () => {
        assert.deepStrictEqual(check(setArg("--dir", "/tmp")), [LOST("/tmp", "emptyDir volume tmp")]);
        assert.deepStrictEqual(check(setArg("--dir", "/var/lib/redis")), [LOST("/var/lib/redis", "the container's own filesystem")]);
        const renamed = withChange(redisStatefulSet(), (x) => (containerOf(x).volumeMounts[0].name = "cache"));
        assert.deepStrictEqual(check(renamed), [LOST("/data", "volume cache, which the pod does not define")]);
    });

    it("resolves a relative dir against the working directory, and an unset dir to the official image's /data", () => {
        assert.deepStrictEqual(check(setArg("--dir", "./")), []);
        assert.deepStrictEqual(check(setArg("--dir", "../tmp")), [LOST("/tmp", "emptyDir volume tmp")]);
        assert.deepStrictEqual(check(setArg("--dir", undefined)), []);
        const custom = withChange(setArg("--dir", undefined), (x) => (containerOf(x).image = "registry.example.com/kv:1"));
        assert.deepStrictEqual(check(custom), [UNTOLD]);
        const workdir = withChange(custom, (x) => (containerOf(x).workingDir = "/data"));
        assert.deepStrictEqual(check(workdir), []);
    });

    it("accepts a PersistentVolumeClaim volume on every kind that runs pods, and refuses an emptyDir there", () => {
        for (const kind of POD_KINDS) {
            const pvc = withChange(asPodKind(kind, redisStatefulSet()), (x) =>
                specOf(x).volumes.push({ name: "data", persistentVolumeClaim: { claimName: "redis" } }),
            );
            assert.deepStrictEqual(check(pvc), [], kind);
            const empty = withChange(asPodKind(kind, redisStatefulSet()), (x) => {
                delete x.spec.volumeClaimTemplates;
                specOf(x).volumes.push({ name: "data", emptyDir: {} });
            });
            assert.deepStrictEqual(check(empty), [LOST("/data", "emptyDir volume data").replace("StatefulSet", kind)], kind);
        }
    });

    it("reads appendonly and dir from a config file a ConfigMap provides", () => {
        assert.deepStrictEqual(check(withConf("appendonly yes\ndir /data\n")), []);
        assert.deepStrictEqual(check(withConf("appendonly no\n")), [
            `${REDIS} keeps no append-only file (appendonly no); run it with --appendonly yes`,
        ]);
        assert.deepStrictEqual(check(withConf("appendonly yes\ndir /tmp\n")), [LOST("/tmp", "emptyDir volume tmp")]);
    });

    it("counts a StatefulSet's claim template over a pod volume of the same name, as its controller does", () => {
        const shadowed = withChange(redisStatefulSet(), (x) => specOf(x).volumes.push({ name: "data", emptyDir: {} }));
        assert.deepStrictEqual(check(shadowed), []);
    });

    it("resolves dir without the image's working directory only when it is absolute", () => {
        const custom = (dir: string | undefined) => withChange(setArg("--dir", dir), (x) => (containerOf(x).image = "registry.example.com/kv:1"));
        assert.deepStrictEqual(check(custom("/data")), []);
        assert.deepStrictEqual(check(custom("/tmp")), [LOST("/tmp", "emptyDir volume tmp")]);
        assert.deepStrictEqual(check(custom("data")), [UNTOLD]);
        const tmpWorkdir = withChange(custom(undefined), (x) => (containerOf(x).workingDir = "/tmp/"));
        assert.deepStrictEqual(check(tmpWorkdir), [LOST("/tmp", "emptyDir volume tmp")]);
    });

    it("reads paths as the kernel does: a mount path with a trailing slash, `.` and repeated slashes in dir", () => {
        const slashed = withChange(redisStatefulSet(), (x) => (containerOf(x).volumeMounts[0].mountPath = "/data/"));
        assert.deepStrictEqual(check(slashed), []);
        assert.deepStrictEqual(check(setArg("--dir", "/data/appendonlydir")), []);
        assert.deepStrictEqual(check(setArg("--dir", "/tmp/./")), [LOST("/tmp", "emptyDir volume tmp")]);
        assert.deepStrictEqual(check(setArg("--dir", "//tmp")), [LOST("/tmp", "emptyDir volume tmp")]);
        assert.deepStrictEqual(check(setArg("--dir", "/database")), [LOST("/database", "the container's own filesystem")]);
    });

    it("judges a directory by the deepest mount that holds it", () => {
        const cache = { name: "cache", mountPath: "/data/cache" };
        for (const order of ["after", "before"]) {
            const nested = withChange(setArg("--dir", "/data/cache"), (x) => {
                const mounts: unknown[] = containerOf(x).volumeMounts;
                if (order === "after") mounts.push(cache);
                else mounts.unshift(cache);
                specOf(x).volumes.push({ name: "cache", emptyDir: {} });
            });
            assert.deepStrictEqual(check(nested), [LOST("/data/cache", "emptyDir volume cache")], order);
        }
        // A claim mounted at the root holds every directory no deeper mount takes.
        const root = withChange(setArg("--dir", "/var/lib/redis"), (x) => (containerOf(x).volumeMounts[0].mountPath = "/"));
        assert.deepStrictEqual(check(root), []);
    });

    it("names the kind of pod volume the data would be lost with", () => {
        const hostPath = withChange(asPodKind("Deployment", redisStatefulSet()), (x) =>
            specOf(x).volumes.push({ name: "data", hostPath: { path: "/var/lib/redis" } }),
        );
        assert.deepStrictEqual(check(hostPath), [LOST("/data", "hostPath volume data").replace("StatefulSet", "Deployment")]);
    });

    it("takes a volume that names no source for the emptyDir the API server makes of it", () => {
        const bare = withChange(asPodKind("Deployment", redisStatefulSet()), (x) => specOf(x).volumes.push({ name: "data" }));
        assert.deepStrictEqual(check(bare), [LOST("/data", "emptyDir volume data").replace("StatefulSet", "Deployment")]);
    });

    it("gives only a StatefulSet the claims of volumeClaimTemplates", () => {
        const deployment = withChange(asPodKind("Deployment", redisStatefulSet()), (x) => {
            x.spec.volumeClaimTemplates = redisStatefulSet().spec.volumeClaimTemplates;
        });
        assert.deepStrictEqual(check(deployment), [LOST("/data", "volume data, which the pod does not define").replace("StatefulSet", "Deployment")]);
    });

    it("leaves Bitnami's image, whose scripts configure Redis from the environment, unjudged", () => {
        const bitnami = withChange(redisStatefulSet(), (x) => {
            containerOf(x).image = "docker.io/bitnami/redis:7.4.1";
            delete containerOf(x).command;
            delete containerOf(x).args;
        });
        assert.deepStrictEqual(check(bitnami), []);
    });

    it("does not judge what a config file the pack cannot read may set, but judges the arguments that override it", () => {
        assert.deepStrictEqual(check(fromFile()), []);
        assert.deepStrictEqual(check(fromFile(["--appendonly", "no"])), [
            `${REDIS} keeps no append-only file (appendonly no); run it with --appendonly yes`,
        ]);
        const noWorkdir = fromFile(
            ["--appendonly", "yes"],
            withChange(setArg("--dir", undefined), (x) => (containerOf(x).image = "registry.example.com/kv:1")),
        );
        assert.deepStrictEqual(check(noWorkdir), []);
        assert.deepStrictEqual(check([fromFile(), configMap("dir /data\n")]), [
            `${REDIS} keeps no append-only file (appendonly unset, so no); run it with --appendonly yes`,
        ]);
    });

    it("blocks the registry's mutants of 4.2.3 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("4.2.3", "Redis keeps no append-only file"), [
            `require-redis-persistence: ${REDIS} keeps no append-only file (appendonly no); run it with --appendonly yes`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("4.2.3", "Redis writes its data to an emptyDir"), [
            `require-redis-persistence: ${LOST("/data", "emptyDir volume tmp")}`,
        ]);
    });
});
