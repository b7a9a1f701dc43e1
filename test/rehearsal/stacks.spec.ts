import * as assert from "assert";
import type { K8sObject } from "../../policies/lib/k8s";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROD_REMOTE, PYTHON, Rehearsal, requireRehearsalTools, transcript, type ServerPod } from "../helpers/rehearsal";
import { rendered } from "../helpers/render";

/** Runs SQL in the postgres container as `kubectl exec postgres-0 -- psql` would, over its local socket. */
async function sql(pg: ServerPod, statement: string): Promise<string> {
    const r = await pg.exec("postgres", [
        "/bin/sh",
        "-c",
        'PGPASSWORD="$POSTGRES_PASSWORD" psql -X -A -t -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "$0"',
        statement,
    ]);
    if (r.code !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout.trim();
}

const TALLY = "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes";

for (const stack of ["staging", "prod"]) {
    const tls = stack === "prod";

    describe(`rehearsal of the rendered ${stack} stack`, function () {
        let r: Rehearsal;
        let redis: ServerPod;
        let pg: ServerPod;
        let objects: K8sObject[];

        before(async function () {
            requireRehearsalTools(this);
            objects = kubernetesObjects(await rendered(stack));
            r = await Rehearsal.start(objects, { remote: PROD_REMOTE });
            [redis, pg] = await Promise.all([r.startStatefulSet("voting-data", "redis"), r.startStatefulSet("voting-data", "postgres")]);
        });
        after(async () => r?.stop());

        it(`runs the ${stack} stream-bootstrap Job as its pod spec says against the rendered Redis${tls ? " over verified TLS" : ""}, creating stream votes with group vote-processors`, async () => {
            const run = await r.runJob("voting-consumer", "stream-bootstrap");
            const exit = run.containers[0].exit;
            assert.deepStrictEqual([exit.code, exit.stdout, exit.stderr], [0, "created stream votes with consumer group vote-processors\n", ""]);
            const cli = `redis-cli ${tls ? "--tls --cacert /tls/ca.crt " : ""}--no-auth-warning -a "$REDIS_PASSWORD"`;
            const groups = await redis.exec("redis", ["/bin/sh", "-c", `${cli} XINFO GROUPS votes`]);
            assert.match(groups.stdout, /^name\nvote-processors\n/);
        });

        it(`runs the ${stack} stream-bootstrap Job a second time and leaves the existing group as it was`, async () => {
            const run = await r.runJob("voting-consumer", "stream-bootstrap");
            assert.deepStrictEqual(
                [run.succeeded, run.containers[0].exit.stdout],
                [true, "consumer group vote-processors already exists on stream votes\n"],
            );
        });

        it(`backs up the ${stack} PostgreSQL with the rendered backup CronJob${tls ? " over verify-full TLS" : ""}, and its restore CronJob brings back the lost rows`, async () => {
            await sql(
                pg,
                "CREATE TABLE votes (option text PRIMARY KEY, count integer NOT NULL); INSERT INTO votes VALUES ('cats', 41), ('dogs', 37)",
            );

            const backup = await r.runCronJob("voting-data", "postgres-backup");
            assert.ok(backup.succeeded, transcript(backup));
            assert.deepStrictEqual(
                backup.containers.map((c) => c.name),
                ["dump", "upload"],
            );
            assert.match(backup.containers[0].exit.stdout, /^dumped votes to votes-\d{8}T\d{6}Z\.dump \(\d+ bytes\)\n$/);
            assert.deepStrictEqual(
                r.replacedRemotes.map((e) => e.RCLONE_CONFIG_BACKUP_TYPE),
                ["s3"],
                "the rendered remote is S3; the rehearsal stands a local directory in for the bucket",
            );

            await sql(pg, "UPDATE votes SET count = 0; DELETE FROM votes WHERE option = 'dogs'");
            assert.strictEqual(await sql(pg, TALLY), "cats=0");

            const restore = await r.runCronJob("voting-data", "postgres-restore");
            assert.ok(restore.succeeded, transcript(restore));
            assert.deepStrictEqual(
                restore.containers.map((c) => c.name),
                ["download", "restore"],
            );
            assert.strictEqual(await sql(pg, TALLY), "cats=41,dogs=37");
        });

        it(`runs the ${stack} quarterly restore test CronJob${tls ? " over verify-full TLS" : ""}: the newest dump restored into a scratch database, its votes table checked, the scratch database dropped`, async () => {
            const run = await r.runCronJob("voting-data", "postgres-restore-test");
            assert.ok(run.succeeded, transcript(run));
            const verify = run.containers[run.containers.length - 1].exit.stdout;
            assert.match(
                verify,
                /^table votes: 2 row\(s\)\nrestore test passed: votes-\d{8}T\d{6}Z\.dump \(\d+ minutes old\) restored into restore_test_\d{14}, which is dropped\n$/,
            );
            assert.strictEqual(await sql(pg, "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_test_%'"), "0");
        });

        for (const source of ["api", "consumer"]) {
            it(`runs the ${stack} verify-connectivity Job of ${source}, whose checks of the PostgreSQL and Redis connections pass against the rendered servers`, async () => {
                // Named per release (verify-connectivity-<release suffix>): the one Job of that name in the namespace.
                const jobs = objects.filter(
                    (o) => o.kind === "Job" && o.metadata?.namespace === `voting-${source}` && o.metadata?.name?.startsWith("verify-connectivity-"),
                );
                assert.strictEqual(jobs.length, 1, jobs.map((j) => j.metadata?.name).join(", "));
                const run = await r.runJob(`voting-${source}`, jobs[0].metadata!.name!);
                assert.ok(run.succeeded, transcript(run));
                // No CNI runs here: the consumer's "closed" check of the API passes because nothing listens there.
                const expected: Record<string, string[]> = {
                    api: ["ok    api -> postgres:5432 (open)", "ok    api -> redis:6379 (open)", "ok    api -> kube-dns:53 (open)"],
                    consumer: [
                        "ok    consumer -> postgres:5432 (open)",
                        "ok    consumer -> redis:6379 (open)",
                        "ok    consumer -> api:8000 (closed)",
                        "ok    consumer -> kube-dns:53 (open)",
                    ],
                };
                const lines = expected[source];
                assert.strictEqual(
                    run.containers[0].exit.stdout,
                    `${lines.join("\n")}\n0 of ${lines.length} connectivity test(s) differ from the traffic matrix\n`,
                );
            });

            it(`connects with the ${stack} ${source}'s DATABASE_URL (libpq) and REDIS_URL (redis-py) from its pod's env and mounts${tls ? ", verifying both servers against the data CA" : ""}`, async () => {
                const ns = `voting-${source}`;
                const pgCheck = await r.runInPodOf(ns, source, source, [
                    "/bin/sh",
                    "-c",
                    'psql -X -A -t -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" "$DATABASE_URL"',
                ]);
                assert.deepStrictEqual([pgCheck.code, pgCheck.stdout.trim()], [0, tls ? "t" : "f"], pgCheck.stderr);
                const redisCheck = await r.runInPodOf(ns, source, source, [
                    PYTHON,
                    "-c",
                    "import os, redis; c = redis.from_url(os.environ['REDIS_URL']); print(c.ping(), c.connection_pool.connection_class.__name__)",
                ]);
                assert.deepStrictEqual(
                    [redisCheck.code, redisCheck.stdout.trim()],
                    [0, `True ${tls ? "SSLConnection" : "Connection"}`],
                    redisCheck.stderr,
                );
            });
        }

        it(`${tls ? "refuses" : "accepts"} a connection to the ${stack} PostgreSQL and Redis that does not ask for TLS, from the API's pod`, async () => {
            const pgPlain = await r.runInPodOf("voting-api", "api", "api", [
                "/bin/sh",
                "-c",
                'psql -X -A -t -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" "$(printf %s "$DATABASE_URL" | sed "s/sslmode=[a-z-]*/sslmode=disable/")"',
            ]);
            const redisPlain = await r.runInPodOf("voting-api", "api", "api", [
                PYTHON,
                "-c",
                "import os, redis; print(redis.from_url(os.environ['REDIS_URL'].replace('rediss://', 'redis://', 1).split('?')[0], socket_timeout=5).ping())",
            ]);
            if (tls) {
                assert.strictEqual(pgPlain.code, 2, pgPlain.stdout);
                assert.match(pgPlain.stderr, /no pg_hba\.conf entry for host "[0-9.]+", user "[^"]+", database "votes", no encryption/);
                assert.notStrictEqual(redisPlain.code, 0, redisPlain.stdout);
                // The TLS port reads the plain RESP command as a bad handshake and closes the connection.
                assert.match(
                    redisPlain.stderr,
                    /redis\.exceptions\.ConnectionError: .*redis\.voting-data\.svc\.cluster\.local:6379.*Connection reset by peer/,
                );
            } else {
                assert.deepStrictEqual([pgPlain.code, pgPlain.stdout.trim()], [0, "f"], pgPlain.stderr);
                assert.deepStrictEqual([redisPlain.code, redisPlain.stdout.trim()], [0, "True"], redisPlain.stderr);
            }
        });

        it(`authenticates to the ${stack} Redis with what KEDA's TriggerAuthentication names${tls ? ", verifying the server at the ScaledObject's address against its CA" : ""}`, async () => {
            const so = r.find("ScaledObject", "voting-consumer", "consumer");
            const trigger = so.spec.triggers[0];
            const auth = r.find("TriggerAuthentication", "voting-consumer", trigger.authenticationRef.name);
            const params: Record<string, string> = {};
            for (const ref of auth.spec.secretTargetRef) params[ref.parameter] = r.secrets.get(`voting-consumer/${ref.name}`)?.[ref.key] ?? "";
            assert.deepStrictEqual(Object.keys(params).sort(), tls ? ["ca", "password"] : ["password"]);
            assert.strictEqual(trigger.metadata.enableTLS, String(tls));
            const [host, port] = trigger.metadata.address.split(":");
            const files = { password: params.password, ...(tls ? { "ca.crt": params.ca } : {}) };
            const cli = [
                "redis-cli",
                ...(tls ? ["--tls", "--cacert", "/work/ca.crt"] : []),
                "-h",
                host,
                "-p",
                port,
                "--user",
                "default",
                "--pass",
                params.password,
                "--no-auth-warning",
            ];
            const ping = await r.runTools("keda", [...cli, "PING"], files);
            assert.deepStrictEqual([ping.code, ping.stdout], [0, "PONG\n"], ping.stderr);
            if (tls) {
                const handshake = await r.runTools(
                    "keda",
                    [
                        "openssl",
                        "s_client",
                        "-connect",
                        trigger.metadata.address,
                        "-verify_hostname",
                        host,
                        "-CAfile",
                        "/work/ca.crt",
                        "-verify_return_error",
                        "-brief",
                    ],
                    files,
                );
                assert.match(handshake.stderr, /Verification: OK/, handshake.stderr);
            }
        });
    });
}
