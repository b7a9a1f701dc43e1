import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireRedisAuth } from "../../../../policies/rules/security/requireRedisAuth";
import { asPodKind, containerOf, POD_KINDS, redisStatefulSet, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const REDIS = 'StatefulSet voting-data/redis: container "redis"';
const NO_AUTH = `${REDIS} runs redis-server without authentication: no requirepass, aclfile or password for the default user; pass --requirepass $(REDIS_PASSWORD) from a Secret`;
/** Redis with its requirepass pair replaced by `args` (none: no password at all). */
const authBy = (...args: string[]) =>
    withChange(redisStatefulSet(), (x) => {
        const a: string[] = containerOf(x).args;
        a.splice(a.indexOf("--requirepass"), 2, ...args);
    });
const check = (objects: K8sObject | K8sObject[]) => violations(requireRedisAuth, objects);
/** Redis started with a config file mounted from a ConfigMap. */
const fromFile = (conf: string | undefined): K8sObject[] => {
    const redis = withChange(redisStatefulSet(), (x) => {
        containerOf(x).args = ["/etc/redis/redis.conf", "--port", "0"];
        containerOf(x).volumeMounts.push({ name: "config", mountPath: "/etc/redis" });
        specOf(x).volumes.push({ name: "config", configMap: { name: "redis-config" } });
    });
    const map: K8sObject = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "redis-config", namespace: "voting-data" },
        data: { "redis.conf": conf },
    };
    return conf === undefined ? [redis] : [redis, map];
};

describe(requireRedisAuth.name, () => {
    it("accepts Redis with requirepass from a Secret, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check(asPodKind(kind, redisStatefulSet())), [], kind);
    });

    it("refuses Redis without a password on every kind that runs pods, and names protected-mode off", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check(asPodKind(kind, authBy())), [NO_AUTH.replace("StatefulSet", kind)]);
        assert.deepStrictEqual(check(authBy("--protected-mode", "no")), [
            NO_AUTH.replace("without authentication", "without authentication and turns protected-mode off"),
        ]);
        assert.deepStrictEqual(check(authBy("--requirepass", "")), [NO_AUTH]);
    });

    it("refuses requirepass naming a variable the container does not define, and one defined empty", () => {
        assert.deepStrictEqual(check(authBy("--requirepass", "$(REDIS_PASS)")), [
            `${REDIS} passes requirepass $(REDIS_PASS), but the container defines no REDIS_PASS: Kubernetes leaves the text as it is and the password is that text; define it from a Secret`,
        ]);
        const empty = withChange(redisStatefulSet(), (x) => (containerOf(x).env = [{ name: "REDIS_PASSWORD", value: "" }]));
        assert.deepStrictEqual(check(empty), [NO_AUTH]);
        assert.deepStrictEqual(check(authBy("--requirepass", "$$(NOT_A_REF)")), []);
        assert.deepStrictEqual(check(authBy("--requirepass", "$(PASS_A)$(PASS_B)")), [
            `${REDIS} passes requirepass $(PASS_A)$(PASS_B), but the container defines no PASS_A, PASS_B: Kubernetes leaves the text as it is and the password is that text; define it from a Secret`,
        ]);
    });

    it("takes a requirepass that is no single reference as the password, whatever variables the container defines empty", () => {
        for (const pass of ["s3cr3t", "x$(cr3)", "$(cr3)x"]) {
            const literal = withChange(authBy("--requirepass", pass), (x) => (containerOf(x).env = [{ name: "cr3", value: "" }]));
            assert.deepStrictEqual(check(literal), [], pass);
        }
    });

    it("accepts an aclfile or a default user switched off or given a password, and refuses a nopass user", () => {
        assert.deepStrictEqual(check(authBy("--aclfile", "/etc/redis/users.acl")), []);
        assert.deepStrictEqual(check(authBy("--user", "default", "off", "--user", "app", "on", ">s3cr3t", "~*", "+@all")), []);
        assert.deepStrictEqual(check(authBy("--user", "default", "on", "#4f9c0e", "~*", "+@all")), []);
        assert.deepStrictEqual(check(authBy("--user", "default", "on", "nopass", "~*", "+@all")), [
            `${REDIS} lets ACL user default in without a password (nopass); give it a password`,
            NO_AUTH,
        ]);
        assert.deepStrictEqual(check(authBy("--user", "default", "on", ">s3cr3t", "nopass", "~*", "+@all")), [
            `${REDIS} lets ACL user default in without a password (nopass); give it a password`,
            NO_AUTH,
        ]);
    });

    it("refuses a password for another ACL user while the default user stays open", () => {
        assert.deepStrictEqual(check(authBy("--user", "app", "on", ">s3cr3t", "~*", "+@all")), [NO_AUTH]);
    });

    it("reads requirepass from a config file a ConfigMap provides, and leaves a file it cannot read unjudged", () => {
        assert.deepStrictEqual(check(fromFile('requirepass "s3cr3t with spaces"\nappendonly yes\n')), []);
        assert.deepStrictEqual(check(fromFile("# requirepass foobared\nappendonly yes\n")), [NO_AUTH]);
        assert.deepStrictEqual(check(fromFile(undefined)), []);
    });

    it("reads the server through the official image's entrypoint, and leaves clients alone", () => {
        const entrypoint = withChange(authBy(), (x) => delete containerOf(x).command);
        assert.deepStrictEqual(check(entrypoint), [NO_AUTH]);
        const imageDefaults = withChange(redisStatefulSet(), (x) => {
            delete containerOf(x).command;
            delete containerOf(x).args;
        });
        assert.deepStrictEqual(check(imageDefaults), [NO_AUTH]);
        const cli = withChange(authBy(), (x) => (containerOf(x).command = ["redis-cli"]));
        assert.deepStrictEqual(check(cli), []);
    });

    it("judges Bitnami's image by REDIS_PASSWORD and ALLOW_EMPTY_PASSWORD", () => {
        const bitnami = (env: unknown[]) =>
            withChange(redisStatefulSet(), (x) => {
                Object.assign(containerOf(x), { image: "docker.io/bitnami/redis:7.4", env });
                delete containerOf(x).command;
                delete containerOf(x).args;
            });
        assert.deepStrictEqual(check(bitnami([{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis", key: "p" } } }])), []);
        assert.deepStrictEqual(check(bitnami([{ name: "ALLOW_EMPTY_PASSWORD", value: "yes" }])), [
            `${REDIS} allows an empty password (ALLOW_EMPTY_PASSWORD); set REDIS_PASSWORD from a Secret`,
        ]);
        assert.deepStrictEqual(check(bitnami([{ name: "REDIS_PASSWORD_FILE", value: "/run/secrets/redis" }])), []);
        assert.deepStrictEqual(check(bitnami([])), [`${REDIS} sets no REDIS_PASSWORD or REDIS_PASSWORD_FILE; set one from a Secret`]);
    });

    it("blocks the registry's mutants of 1.4.2 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("1.4.2", "Redis runs without a password"), [`require-redis-auth: ${NO_AUTH}`]);
        assert.deepStrictEqual(await registryMutantBlockers("1.4.2", "Redis's password names a variable the container no longer defines"), [
            `require-redis-auth: ${REDIS} passes requirepass $(REDIS_PASSWORD), but the container defines no REDIS_PASSWORD: Kubernetes leaves the text as it is and the password is that text; define it from a Secret`,
        ]);
    });
});
