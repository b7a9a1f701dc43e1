import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requirePostgresPasswordAuth } from "../../../../policies/rules/security/requirePostgresPasswordAuth";
import { asPodKind, containerOf, POD_KINDS, postgresStatefulSet } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const PG = 'StatefulSet voting-data/postgres: container "postgres"';
const withEnv = (name: string, value: string, base: K8sObject = postgresStatefulSet()) =>
    withChange(base, (x) => {
        const env: { name: string; value?: string }[] = containerOf(x).env;
        const found = env.find((e) => e.name === name);
        if (found) found.value = value;
        else env.push({ name, value });
    });
const withArg = (from: string, to: string) =>
    withChange(postgresStatefulSet(), (x) => {
        const args: string[] = containerOf(x).args;
        args[args.indexOf(from)] = to;
    });
const check = (obj: K8sObject) => violations(requirePostgresPasswordAuth, obj);
const configMap = (data: Record<string, string>): K8sObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "pg", namespace: "voting-data" },
    data,
});

describe(requirePostgresPasswordAuth.name, () => {
    it("accepts PostgreSQL with scram-sha-256 everywhere, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check(asPodKind(kind, postgresStatefulSet())), [], kind);
        assert.deepStrictEqual(check(withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")), []);
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "--auth=scram-sha-256")), []);
        const defaultEncryption = withChange(postgresStatefulSet(), (x) => containerOf(x).args.splice(0, 2));
        assert.deepStrictEqual(check(defaultEncryption), [], "password_encryption unset: scram-sha-256 since PostgreSQL 14");
        const initdb = withChange(postgresStatefulSet(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "init", image: "postgres:16", command: ["initdb", "--auth=scram-sha-256"] }];
        });
        assert.deepStrictEqual(check(initdb), []);
    });

    it("leaves a debug container alone", () => {
        const pod = withChange(asPodKind("Pod", postgresStatefulSet()), (x) => {
            x.spec.ephemeralContainers = [{ name: "debug", image: "postgres:16", env: [{ name: "POSTGRES_HOST_AUTH_METHOD", value: "trust" }] }];
        });
        assert.deepStrictEqual(check(pod), []);
    });

    it("refuses POSTGRES_HOST_AUTH_METHOD trust, password, md5 and ident, each with what it lets in", () => {
        const cases: [string, string][] = [
            ["trust", "without a password"],
            ["password", "with the password sent in clear text"],
            ["md5", "with MD5 password hashes"],
            ["ident", "on the word of the client's host"],
        ];
        for (const [method, what] of cases) {
            assert.deepStrictEqual(check(withEnv("POSTGRES_HOST_AUTH_METHOD", method)), [
                `${PG} sets POSTGRES_HOST_AUTH_METHOD=${method}, which lets clients in ${what}; use scram-sha-256`,
            ]);
        }
    });

    it("refuses POSTGRES_HOST_AUTH_METHOD=trust on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check(asPodKind(kind, withEnv("POSTGRES_HOST_AUTH_METHOD", "trust"))), [
                `${kind} voting-data/postgres: container "postgres" sets POSTGRES_HOST_AUTH_METHOD=trust, which lets clients in without a password; use scram-sha-256`,
            ]);
        }
    });

    it("refuses weak initdb methods in POSTGRES_INITDB_ARGS, in each spelling initdb takes", () => {
        for (const args of ["--auth=trust", "-A trust", "-Atrust"]) {
            assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", args)), [
                `${PG} initializes the database with --auth=trust (POSTGRES_INITDB_ARGS), which lets clients in without a password; use scram-sha-256`,
            ]);
        }
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "--auth-local=scram-sha-256 --auth-host md5")), [
            `${PG} initializes the database with --auth-host=md5 (POSTGRES_INITDB_ARGS), which lets clients in with MD5 password hashes; use scram-sha-256`,
        ]);
    });

    it("reads only whole initdb options: a value that ends in -A or holds -A is none, nor is an option without a value", () => {
        const LEAVES_HOST = `${PG} leaves initdb's default, trust, for host connections inside the pod; add --auth-host=scram-sha-256 to POSTGRES_INITDB_ARGS`;
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "-U team-A --auth-local=trust")), [
            `${PG} initializes the database with --auth-local=trust (POSTGRES_INITDB_ARGS), which lets clients in without a password; use scram-sha-256`,
            LEAVES_HOST,
        ]);
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "-U team-Admin --auth-local=scram-sha-256")), [LEAVES_HOST]);
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "--auth-local=scram-sha-256 --auth-host")), [LEAVES_HOST]);
    });

    it("refuses the official image's default, trust inside the pod, when POSTGRES_INITDB_ARGS leaves it", () => {
        assert.deepStrictEqual(check(withEnv("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256")), [
            `${PG} leaves initdb's default, trust, for local connections inside the pod; add --auth-local=scram-sha-256 to POSTGRES_INITDB_ARGS`,
        ]);
        const unset = withChange(
            postgresStatefulSet(),
            (x) => (containerOf(x).env = containerOf(x).env.filter((e: { name: string }) => e.name !== "POSTGRES_INITDB_ARGS")),
        );
        assert.deepStrictEqual(check(unset), [
            `${PG} leaves initdb's default, trust, for local and host connections inside the pod; add --auth-local=scram-sha-256 --auth-host=scram-sha-256 to POSTGRES_INITDB_ARGS`,
        ]);
        const fromMap = withChange(unset, (x) =>
            containerOf(x).env.push({ name: "POSTGRES_INITDB_ARGS", valueFrom: { configMapKeyRef: { name: "pg", key: "initdb" } } }),
        );
        assert.deepStrictEqual(check(fromMap), []);
        const passwordFile = withChange(unset, (x) => (containerOf(x).env = [{ name: "POSTGRES_PASSWORD_FILE", value: "/run/secrets/postgres" }]));
        assert.deepStrictEqual(check(passwordFile), [
            `${PG} leaves initdb's default, trust, for local and host connections inside the pod; add --auth-local=scram-sha-256 --auth-host=scram-sha-256 to POSTGRES_INITDB_ARGS`,
        ]);
    });

    it("refuses password_encryption other than scram-sha-256, in every way postgres takes it", () => {
        assert.deepStrictEqual(check(withArg("password_encryption=scram-sha-256", "password_encryption=md5")), [
            `${PG} stores passwords as md5 (password_encryption); use scram-sha-256`,
        ]);
        const dashed = withChange(postgresStatefulSet(), (x) => containerOf(x).args.push("--password-encryption=on"));
        assert.deepStrictEqual(check(dashed), [`${PG} stores passwords as on (password_encryption); use scram-sha-256`]);
        const joined = withChange(postgresStatefulSet(), (x) => containerOf(x).args.push("-cpassword_encryption=md5"));
        assert.deepStrictEqual(check(joined), [`${PG} stores passwords as md5 (password_encryption); use scram-sha-256`]);
    });

    it("reads the server through the official entrypoint, an explicit postgres command or docker-entrypoint.sh", () => {
        const bad = withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        for (const command of [["postgres"], ["docker-entrypoint.sh", "postgres"], ["/usr/lib/postgresql/16/bin/postgres"]]) {
            const obj = withChange(bad, (x) => (containerOf(x).command = command));
            assert.strictEqual(check(obj).length, 1, command.join(" "));
        }
        const client = withChange(bad, (x) => (containerOf(x).command = ["/bin/sh", "-c", "pg_dump"]));
        assert.deepStrictEqual(check(client), []);
    });

    it("refuses an initdb container run with trust, and Bitnami's empty password", () => {
        const init = withChange(postgresStatefulSet(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "init", image: "postgres:16", command: ["initdb", "--auth-local", "trust"] }];
        });
        assert.deepStrictEqual(check(init), [
            'StatefulSet voting-data/postgres: init container "init" runs initdb with --auth-local=trust, which lets clients in without a password; use scram-sha-256',
        ]);
        const byPath = withChange(postgresStatefulSet(), (x) => {
            x.spec.template.spec.initContainers = [
                { name: "init", image: "postgres:16", command: ["/usr/lib/postgresql/16/bin/initdb", "-A", "md5"] },
            ];
        });
        assert.deepStrictEqual(check(byPath), [
            'StatefulSet voting-data/postgres: init container "init" runs initdb with --auth=md5, which lets clients in with MD5 password hashes; use scram-sha-256',
        ]);
        const bitnami = (env: unknown[]) =>
            withChange(postgresStatefulSet(), (x) => {
                const c = containerOf(x);
                c.image = "docker.io/bitnami/postgresql:16";
                delete c.args;
                c.env = env;
            });
        for (const value of ["yes", "true", "1"]) {
            assert.deepStrictEqual(
                check(bitnami([{ name: "ALLOW_EMPTY_PASSWORD", value }])),
                [`${PG} allows an empty password (ALLOW_EMPTY_PASSWORD); set POSTGRESQL_PASSWORD from a Secret`],
                value,
            );
        }
        const password = { name: "POSTGRESQL_PASSWORD", valueFrom: { secretKeyRef: { name: "postgres-auth", key: "password" } } };
        assert.deepStrictEqual(check(bitnami([password])), []);
        assert.deepStrictEqual(check(bitnami([password, { name: "ALLOW_EMPTY_PASSWORD", value: "no" }])), []);
    });

    it("refuses pg_hba.conf lines and postgresql.conf settings in ConfigMaps that let clients in weakly", () => {
        const hba = [
            "# TYPE DATABASE USER ADDRESS METHOD",
            "local all all scram-sha-256",
            "host all all 10.0.0.0/8 trust",
            "hostssl all all 10.0.0.0 255.0.0.0 md5",
        ].join("\n");
        assert.deepStrictEqual(check(configMap({ "pg_hba.conf": hba, "postgresql.conf": "password_encryption = 'md5'\n" })), [
            'ConfigMap voting-data/pg: key pg_hba.conf line 3 ("host all all 10.0.0.0/8 trust") lets clients in without a password; use scram-sha-256',
            'ConfigMap voting-data/pg: key pg_hba.conf line 4 ("hostssl all all 10.0.0.0 255.0.0.0 md5") lets clients in with MD5 password hashes; use scram-sha-256',
            "ConfigMap voting-data/pg: key postgresql.conf stores passwords as md5 (password_encryption); use scram-sha-256",
        ]);
        assert.deepStrictEqual(
            check(configMap({ "pg_hba.conf": "hostssl all all all scram-sha-256\n", "postgresql.conf": "password_encryption = scram-sha-256" })),
            [],
        );
    });

    it("reads pg_hba.conf as PostgreSQL does: four-word local lines, keywords, IPv4 and IPv6 masks, comments", () => {
        const hba = [
            "# local all all trust",
            "local all all trust",
            "host all all samehost md5",
            "host all all 192.168.1.10 255.255.255.255 password # office server",
            "host all all fe80:: ffff:ffff:ffff:ffff:: trust",
            "host all all 10.1.0.0/16",
        ].join("\n");
        assert.deepStrictEqual(check(configMap({ "pg_hba.conf": hba })), [
            'ConfigMap voting-data/pg: key pg_hba.conf line 2 ("local all all trust") lets clients in without a password; use scram-sha-256',
            'ConfigMap voting-data/pg: key pg_hba.conf line 3 ("host all all samehost md5") lets clients in with MD5 password hashes; use scram-sha-256',
            'ConfigMap voting-data/pg: key pg_hba.conf line 4 ("host all all 192.168.1.10 255.255.255.255 password") lets clients in with the password sent in clear text; use scram-sha-256',
            'ConfigMap voting-data/pg: key pg_hba.conf line 5 ("host all all fe80:: ffff:ffff:ffff:ffff:: trust") lets clients in without a password; use scram-sha-256',
        ]);
    });

    it("reads password_encryption in postgresql.conf in each form PostgreSQL takes, the last one winning, comments skipped", () => {
        const md5 = "ConfigMap voting-data/pg: key postgresql.conf stores passwords as md5 (password_encryption); use scram-sha-256";
        for (const conf of [
            "password_encryption=md5",
            "password_encryption md5",
            "  password_encryption = md5 # legacy clients",
            "password_encryption = scram-sha-256\nmax_connections = 100\npassword_encryption = md5",
        ]) {
            assert.deepStrictEqual(check(configMap({ "postgresql.conf": conf })), [md5], conf);
        }
        for (const conf of [
            "#password_encryption = md5\t\t# scram-sha-256 or md5",
            "password_encryption = md5\npassword_encryption = scram-sha-256",
        ]) {
            assert.deepStrictEqual(check(configMap({ "postgresql.conf": conf })), [], conf);
        }
    });

    it("reads a ConfigMap key by the file it holds: any key ending in pg_hba.conf, settings only from .conf files", () => {
        assert.deepStrictEqual(check(configMap({ "primary-pg_hba.conf": "host all all 10.0.0.0/8 md5\n" })), [
            'ConfigMap voting-data/pg: key primary-pg_hba.conf line 1 ("host all all 10.0.0.0/8 md5") lets clients in with MD5 password hashes; use scram-sha-256',
        ]);
        // PostgreSQL reads neither a copy nor a sample: the running settings are those of the .conf files.
        assert.deepStrictEqual(check(configMap({ "pg_hba.conf.orig": "host all all 10.0.0.0/8 trust\n" })), []);
        assert.deepStrictEqual(check(configMap({ "postgresql.conf.sample": "password_encryption = md5\n" })), []);
        assert.deepStrictEqual(check(configMap({ README: "password_encryption = md5 was the old default\n" })), []);
    });

    it("reads initdb's options only in a container that runs initdb", () => {
        const proxy = withChange(postgresStatefulSet(), (x) => {
            x.spec.template.spec.initContainers = [
                { name: "proxy", image: "example/proxy:1", command: ["/bin/proxy", "--auth", "password", "-A", "trust"] },
            ];
        });
        assert.deepStrictEqual(check(proxy), []);
        const noCommand = withChange(postgresStatefulSet(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "proxy", image: "example/proxy:1", args: ["--auth=md5"] }];
        });
        assert.deepStrictEqual(check(noCommand), []);
    });

    it("blocks the registry's mutants of 1.4.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("1.4.1", "PostgreSQL trusts every client (POSTGRES_HOST_AUTH_METHOD=trust)"), [
            `require-postgres-password-auth: ${PG} sets POSTGRES_HOST_AUTH_METHOD=trust, which lets clients in without a password; use scram-sha-256`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("1.4.1", "PostgreSQL stores MD5 password hashes"), [
            `require-postgres-password-auth: ${PG} stores passwords as md5 (password_encryption); use scram-sha-256`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("1.4.1", "PostgreSQL's initdb keeps trust for connections inside the pod"), [
            `require-postgres-password-auth: ${PG} leaves initdb's default, trust, for local connections inside the pod; add --auth-local=scram-sha-256 to POSTGRES_INITDB_ARGS`,
        ]);
    });
});
